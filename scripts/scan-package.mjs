// n8n's own community-package scanner (@n8n/scan-community-package), run on a local folder with the
// rule set n8n applies before it lists a package (`npx @n8n/scan-community-package <name>` does the same
// on the published tarball and on the source checkout its npm provenance names).
//
//   node scripts/scan-package.mjs <folder> tarball|dist|source
//
// tarball: every .js, .ts and .json file of an unpacked `npm pack` (analyzePackage's own default);
// dist:    what n8n lints of a published tarball (its compiled .js and package.json);
// source:  what n8n lints of the source checkout (package.json, nodes/ and credentials/).
// Prints one JSON line { leg, passed, errors, warnings, files, details } and exits 1 unless it passed.
// The verdict is analyzePackage's; the counts come from the same configuration and files
// (analyzePackage itself reports only its verdict and, on failure, the findings).
import { ESLint } from 'eslint';
import glob from 'fast-glob';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const scanner = await import(pathToFileURL(require.resolve('@n8n/scan-community-package/scanner/scanner.mjs')).href);

const [folder, leg] = process.argv.slice(2);
const PATTERNS = {
	tarball: undefined,
	dist: ['**/*.js', 'package.json'],
	source: scanner.SOURCE_FILE_PATTERNS,
};
if (!folder || !(leg in PATTERNS)) {
	process.stderr.write('usage: node scripts/scan-package.mjs <folder> tarball|dist|source\n');
	process.exit(2);
}
const dir = path.resolve(folder);
const patterns = PATTERNS[leg];

const verdict = await scanner.analyzePackage(dir, patterns);

const files = glob.sync(patterns ?? ['**/*.js', '**/*.ts', '**/*.json'], { cwd: dir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
const eslint = new ESLint({ cwd: dir, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: await scanner.buildScanConfig() });
const results = await eslint.lintFiles(files);
const count = (key) => results.reduce((total, result) => total + result[key], 0);

process.stdout.write(
	`${JSON.stringify({ leg, passed: verdict.passed, errors: count('errorCount'), warnings: count('warningCount'), files: files.length, details: verdict.details ?? verdict.message ?? '' })}\n`,
);
process.exit(verdict.passed ? 0 : 1);
