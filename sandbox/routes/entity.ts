import type { Area } from '../auth';
import type { Reply } from '../http';
import { notFound } from '../http';
import type { HaloStore } from '../store';
import type { Row, Table } from '../table';
import type { Schema } from '../validation';
import type { HaloEventKey, HaloEvent } from '../webhooks';
import { arrayPost, existing, idParam, type ApiRoute, type RouteContext } from './context';

export interface EntityDefinition<T extends Row> {
	/** Lower-case collection path, e.g. `/api/client`. */
	path: string;
	/** Name used in messages, e.g. `Client`. */
	entity: string;
	area: Area;
	table: (store: HaloStore) => Table<T>;
	schema: Schema;
	/** `details` is true for `?includedetails=true` and for write answers and event payloads. */
	view: (row: T, context: RouteContext, details: boolean) => unknown;
	list: (context: RouteContext) => unknown;
	/**
	 * Validates a record and builds the new row without writing anything (it also runs as a dry
	 * run before the real write): throw 400 for a bad value or an unknown reference.
	 */
	create: (record: Record<string, unknown>, context: RouteContext) => T;
	/** Validates and applies a record to `draft`, a copy of the row: assign fields, never mutate nested values. */
	update: (draft: T, record: Record<string, unknown>, context: RouteContext) => void;
	/** Bookkeeping once a create or update landed (e.g. the invoice line id counter). */
	written?: (row: T, context: RouteContext) => void;
	/** Webhook events fired on create and update, and the payload key of the object. */
	events?: { created: HaloEventKey; updated: HaloEventKey; objectKey: keyof HaloEvent['objects'] };
	doubleKeys?: readonly string[];
}

/** GET list, GET by id, array POST (create/update) and DELETE for a plain Halo entity. */
export function entityRoutes<T extends Row>(definition: EntityDefinition<T>): ApiRoute[] {
	const { path, entity, area, doubleKeys } = definition;
	const reply = (body: unknown, status = 200): Reply => ({ status, body, doubleKeys });
	const fire = (key: HaloEventKey, row: T, context: RouteContext, verb: string) => {
		if (!definition.events) return;
		context.state.emit({
			key,
			objectId: row.id,
			agentId: context.agent.id,
			message: `${entity} ${row.id} ${verb}`,
			objects: { [definition.events.objectKey]: definition.view(row, context, true) },
		});
	};
	return [
		{ method: 'GET', pattern: path, area, access: 'read', handle: (context) => reply(definition.list(context)) },
		{
			method: 'GET',
			pattern: `${path}/:id`,
			area,
			access: 'read',
			handle: (context) => {
				const id = idParam(context);
				const row = definition.table(context.store).get(id);
				if (!row) throw notFound(entity, id);
				return reply(definition.view(row, context, context.query.bool('includedetails') ?? false));
			},
		},
		{
			method: 'POST',
			pattern: path,
			area,
			access: 'edit',
			handle: (context) => {
				const table = definition.table(context.store);
				return arrayPost(
					context,
					definition.schema,
					(record) => {
						if (record.id !== undefined && record.id !== 0) {
							const row = existing(table.get(record.id as number), entity, record.id);
							table.preview(row, (draft) => definition.update(draft, record, context));
							return {
								created: false,
								commit: () => {
									table.update(row, (draft) => definition.update(draft, record, context));
									definition.written?.(row, context);
									if (definition.events) fire(definition.events.updated, row, context, 'updated');
									return definition.view(row, context, true);
								},
							};
						}
						definition.create(record, context);
						return {
							created: true,
							commit: () => {
								const row = table.insert(definition.create(record, context));
								definition.written?.(row, context);
								if (definition.events) fire(definition.events.created, row, context, 'created');
								return definition.view(row, context, true);
							},
						};
					},
					doubleKeys,
				);
			},
		},
		{
			method: 'DELETE',
			pattern: `${path}/:id`,
			area,
			access: 'edit',
			handle: (context) => {
				const id = idParam(context);
				const table = definition.table(context.store);
				const row = table.get(id);
				if (!row) throw notFound(entity, id);
				const body = definition.view(row, context, true);
				table.remove(id);
				return reply(body);
			},
		},
	];
}
