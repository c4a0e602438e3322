export { Transport, IFNAMSIZ, ifnameProblem } from './transport';
export { strerror } from './strerror';
