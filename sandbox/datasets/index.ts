import { dotNetError } from '../http';
import type { Dataset } from '../types';
import { demoDataset } from './demo';
import { emptyDataset } from './common';
import { generateDataset, type GenerateOptions } from './generate';

/** `'generated'` is the generator with its default sizes (the CLI's and control API's name for it). */
export type DatasetSpec = 'demo' | 'empty' | 'generated' | GenerateOptions;

export function buildDataset(spec: DatasetSpec, referenceTime = Date.now()): Dataset {
	if (spec === 'demo') return demoDataset(referenceTime);
	if (spec === 'empty') return emptyDataset();
	if (spec === 'generated') return generateDataset({}, referenceTime);
	if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
		throw dotNetError(400, `dataset must be 'demo', 'empty', 'generated' or generator options; got ${JSON.stringify(spec)}`, 'System.ArgumentException');
	}
	return generateDataset(spec, referenceTime);
}

export type { GenerateOptions };
