export { Transport, IFNAMSIZ, ifnameProblem } from './transport';
