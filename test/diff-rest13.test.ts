/**
 * Differential test: ethkit against ethtool 6.1 on both paths, byte for byte, for
 * --set-phy-tunable, -w/-W, -E, -f and -Q (cases: test/diff/cases/rest13.ts).
 */
import { defineSuite } from './diff/runner';
import { SUITES } from './diff/cases';

defineSuite('diff-rest13', 'dq', SUITES['diff-rest13']);
