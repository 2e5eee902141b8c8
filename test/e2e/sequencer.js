const Sequencer = require('@jest/test-sequencer').default;

/** Runs the e2e files in a fixed order: API-level files by name, browser files last. */
class E2eSequencer extends Sequencer {
	sort(tests) {
		const rank = (t) => (/browser/.test(t.path) ? 1 : 0);
		return [...tests].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
	}
}
module.exports = E2eSequencer;
