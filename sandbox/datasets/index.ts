import type { Dataset } from '../types';
import { demoDataset } from './demo';
import { emptyDataset } from './common';
import { generateDataset, type GenerateOptions } from './generate';

export type DatasetSpec = 'demo' | 'empty' | GenerateOptions;

export function buildDataset(spec: DatasetSpec, referenceTime = Date.now()): Dataset {
	if (spec === 'demo') return demoDataset(referenceTime);
	if (spec === 'empty') return emptyDataset();
	return generateDataset(spec, referenceTime);
}

export type { GenerateOptions };
