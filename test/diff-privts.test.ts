/**
 * Differential test: ethkit against ethtool 6.1's ioctl path, byte for byte (stdout, stderr,
 * exit status). Cases: test/diff/cases/ (see test/diff/runner.ts for what each row checks).
 */
import { defineSuite } from './diff/runner';
import { SUITES } from './diff/cases';

defineSuite('diff-privts', 'dp', SUITES['diff-privts']);
