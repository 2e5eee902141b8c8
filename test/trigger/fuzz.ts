/**
 * Payloads for fuzzing the trigger's receiver: Halo events, and bodies that are not Halo events
 * because of one defect each (a wrong type, a junk id, a missing field, another webhook, a form).
 * Whether a payload is a Halo event is decided here, by construction, never by the receiver.
 */
import { seededRandom } from '../../engine/synthetic';

export interface FuzzPayload {
	/** The body as sent (JSON text, or a form for the non-JSON content types). */
	body: string;
	contentType: string;
	/** A Halo event (or batch of them) from the trigger's own webhook: it must start exactly one execution. */
	halo: boolean;
	/** What was wrong with it (for failure messages); empty for Halo events. */
	defect: string;
}

const EVENT_NAMES = ['New Ticket Logged', 'ticket status changed', 'TICKET CLOSED', 'New Action Added', 'ticket updated by user', 'Something Halo added later'];

/** Values that are not a positive whole number an id may be. */
const JUNK_IDS: unknown[] = [0, -1, 1.5, 1.2345678901234568e29, Number.MAX_SAFE_INTEGER + 2, '12', '', 'abc', true, [], {}, [3], { id: 3 }];
const JUNK_TEXT: unknown[] = [7, true, [], { text: 'x' }];
const JUNK_OBJECTS: unknown[] = ['twelve', 12, true, ['id', 3]];

export class FuzzPayloads {
	private readonly random: () => number;
	private serial = 0;

	constructor(
		seed: number,
		/**
		 * The registered webhook's id, which Halo events carry and the receiver checks (automatic
		 * registration); undefined for a manual trigger, which takes any webhook_id string.
		 */
		private readonly webhookId: string | undefined,
		private readonly ticketId: number,
	) {
		this.random = seededRandom(seed);
	}

	private pick<T>(values: readonly T[]): T {
		return values[Math.floor(this.random() * values.length)];
	}

	/** A Halo event with a full payload (so accepting it needs no API call) and a fresh delivery id. */
	event(): Record<string, unknown> {
		this.serial += 1;
		const event = this.pick(EVENT_NAMES);
		const delivery: Record<string, unknown> = {
			id: `fuzz-${this.serial}-${Math.floor(this.random() * 1e9).toString(36)}`,
			webhook_id: this.webhookId ?? 'typed-in-by-hand',
			event,
			object_id: this.ticketId,
			agent_id: this.pick([0, 1, 12]),
			message: this.pick([`${event} on ${this.ticketId}`, null]),
			timestamp: '2025-03-01T09:30:00',
			ticket: { id: this.ticketId, summary: 'Fuzzed', client_id: 1 },
		};
		if (/action/i.test(event)) {
			delivery.action = { id: 5000 + this.serial, ticket_id: this.ticketId, note: 'n', who_type: this.pick([0, 1, 2]), hiddenfromuser: this.random() < 0.5 };
			delivery.action_id = 5000 + this.serial;
		}
		// Fields the receiver does not read may hold anything.
		if (this.random() < 0.3) delivery.extra = { nested: [{ deep: [null, 1.5, 'x'] }], flag: this.random() < 0.5 };
		return delivery;
	}

	/** One defect that makes a delivery not a Halo event, applied to a copy. */
	private spoil(delivery: Record<string, unknown>): { value: unknown; defect: string } {
		const copy: Record<string, unknown> = structuredClone(delivery);
		const defects: Array<() => string> = [
			() => {
				const value = this.pick<unknown>([undefined, 42, '', '   ', 'x'.repeat(201), null, { id: 'x' }]);
				if (value === undefined) delete copy.id;
				else copy.id = value;
				return `id ${JSON.stringify(value)}`;
			},
			() => {
				const value = this.pick<unknown>([undefined, '', 76, null, ['ticket closed']]);
				if (value === undefined) delete copy.event;
				else copy.event = value;
				return `event ${JSON.stringify(value)}`;
			},
			() => {
				const field = this.pick(['object_id', 'ticket_id', 'action_id']);
				copy[field] = this.pick(JUNK_IDS);
				return `${field} ${JSON.stringify(copy[field])}`;
			},
			() => {
				copy.agent_id = this.pick([-1, 1.5, '3', Number.MAX_SAFE_INTEGER + 2, {}]);
				return `agent_id ${JSON.stringify(copy.agent_id)}`;
			},
			() => {
				const value = this.pick<unknown>(this.webhookId === undefined ? [17, {}, ['w']] : [undefined, 'another-webhook', 17, '']);
				if (value === undefined) delete copy.webhook_id;
				else copy.webhook_id = value;
				return `webhook_id ${JSON.stringify(value)}`;
			},
			() => {
				const field = this.pick(['message', 'timestamp']);
				copy[field] = this.pick(JUNK_TEXT);
				return `${field} ${JSON.stringify(copy[field])}`;
			},
			() => {
				const field = this.pick(['ticket', 'action', 'client', 'user', 'asset', 'contract']);
				copy[field] = this.pick(JUNK_OBJECTS);
				return `${field} ${JSON.stringify(copy[field])}`;
			},
			() => {
				copy.ticket = { ...(copy.ticket as object), id: this.pick(JUNK_IDS) };
				return `ticket.id ${JSON.stringify((copy.ticket as { id: unknown }).id)}`;
			},
			() => {
				copy.action = { id: 9, ticket_id: this.pick(JUNK_IDS) };
				return `action.ticket_id ${JSON.stringify((copy.action as { ticket_id: unknown }).ticket_id)}`;
			},
		];
		const defect = this.pick(defects)();
		return { value: copy, defect };
	}

	/** Bodies that are not a delivery at all. */
	private junkBody(): { value: unknown; defect: string } {
		const value = this.pick<unknown>([null, 0, 7.5, 'text', true, [], [null], [[]], {}, { hello: 'world' }, [1, 2, 3], { id: [], event: {} }]);
		return { value, defect: `body ${JSON.stringify(value)}` };
	}

	next(): FuzzPayload {
		const roll = this.random();
		if (roll < 0.1) {
			const batch = this.random() < 0.3;
			const value = batch ? [this.event(), this.event(), this.event()] : this.event();
			return { body: JSON.stringify(value), contentType: 'application/json', halo: true, defect: '' };
		}
		if (roll < 0.13) {
			const fields = { id: `form-${this.serial}`, event: 'ticket closed' };
			const contentType = this.pick(['application/x-www-form-urlencoded', 'multipart/form-data; boundary=fuzz', 'text/plain']);
			const body = contentType.startsWith('multipart/')
				? `${Object.entries(fields)
						.map(([name, value]) => `--fuzz\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
						.join('')}--fuzz--\r\n`
				: new URLSearchParams(fields).toString();
			return { body, contentType, halo: false, defect: `content type ${contentType}` };
		}
		if (roll < 0.2) {
			const { value, defect } = this.junkBody();
			return { body: JSON.stringify(value), contentType: 'application/json', halo: false, defect };
		}
		const { value, defect } = this.spoil(this.event());
		// A batch with one spoiled event is not taken either: Halo's batches hold only its events.
		const batched = this.random() < 0.2 ? [this.event(), value] : value;
		return { body: JSON.stringify(batched), contentType: 'application/json', halo: false, defect };
	}
}
