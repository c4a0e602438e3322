/** CPU sets and queue-IRQ discovery live in src/common (the live view reads them too). */
export * from '../common/cpus';
