// Copies what tsc does not emit next to the compiled files, where n8n looks for them: node and
// credential icons, and each node's codex (`<Name>.node.json`: categories, aliases, doc links).
const { src, dest, task } = require('gulp');

const ASSET_GLOBS = ['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'];

/** Copies the assets into `destination` (a stream that ends when every file is written). */
function copyAssets(destination = 'dist') {
	return src(ASSET_GLOBS, { base: '.', cwd: __dirname, encoding: false }).pipe(dest(destination, { cwd: __dirname }));
}

task('build:assets', () => copyAssets('dist'));

module.exports = { copyAssets };
