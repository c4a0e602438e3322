/**
 * Differential test: ethkit against ethtool 6.1 on both paths, byte for byte (stdout, stderr,
 * exit status), for -x/-X and -n/-N. Cases: test/diff/cases/rss.ts.
 */
import { defineSuite } from './diff/runner';
import { SUITES } from './diff/cases';

defineSuite('diff-rss', 'dr', SUITES['diff-rss']);
