/** Edit distance between two words, case-insensitive (for "did you mean" suggestions). */
export function editDistance(left: string, right: string): number {
	const a = left.toLowerCase();
	const b = right.toLowerCase();
	let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) {
			const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
			current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
		}
		previous = current;
	}
	return previous[b.length];
}

/**
 * The known names closest to `wanted`: names that contain it (or are contained by it), else those
 * fewest edits away (within a few), at most `limit`.
 */
export function closestMatches(wanted: string, known: Iterable<string>, limit = 3): string[] {
	const target = wanted.trim().toLowerCase();
	const scored: Array<{ name: string; score: number }> = [];
	for (const name of new Set(known)) {
		const lower = name.toLowerCase();
		if (!lower) continue;
		// containment counts only for words of some length, so "in" does not suggest itself for "containAny"
		const [shorter, longer] = lower.length < target.length ? [lower, target] : [target, lower];
		const contained = shorter.length >= 3 && shorter.length * 2 >= longer.length && longer.includes(shorter);
		const distance = editDistance(target, lower);
		const tolerance = Math.max(2, Math.floor(Math.max(target.length, lower.length) / 3));
		if (contained || distance <= tolerance) scored.push({ name, score: contained ? distance - 100 : distance });
	}
	scored.sort((x, y) => x.score - y.score || x.name.localeCompare(y.name));
	const best = scored[0]?.score ?? 0;
	return scored
		.filter((entry) => entry.score < 0 || entry.score === best)
		.slice(0, limit)
		.map((entry) => entry.name);
}

export function didYouMean(wanted: string, known: Iterable<string>): string {
	const matches = closestMatches(wanted, known);
	return matches.length > 0 ? ` (did you mean ${matches.map((match) => `"${match}"`).join(' or ')}?)` : '';
}
