/** The per-queue stat finder lives in ../common/queues.ts (the exporter reads it too). */
export * from '../common/queues';
