// The same seeded PRNG (mulberry32) as the engine's synthetic data, so datasets and
// probabilistic faults are reproducible.
import { seededRandom } from '../engine/synthetic';

export { seededRandom };
export type Random = () => number;

export function pick<T>(random: Random, list: readonly T[]): T {
	return list[Math.floor(random() * list.length)];
}

export function intBetween(random: Random, min: number, max: number): number {
	return min + Math.floor(random() * (max - min + 1));
}
