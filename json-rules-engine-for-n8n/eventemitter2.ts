/**
 * Stands in for eventemitter2 inside the n8n package's bundles (see gulpfile.js). json-rules-engine's
 * Engine and Rule extend EventEmitter2 and use `on` and `emitAsync` of it; this gives them those and
 * the usual listener methods without what n8n's rules forbid (eventemitter2 reads `process`,
 * schedules with setTimeout and setImmediate and builds a function from a string). Listeners run in
 * the order they were added; `emitAsync` resolves with their results once all have settled.
 *
 * A constructor function, as eventemitter2's is, not a class: json-rules-engine's compiled classes
 * call their parent as a function (`EventEmitter2.call(this)`), which a class does not allow.
 */
type Listener = (...args: unknown[]) => unknown;

interface Emitter {
	listenersByEvent: Map<string, Listener[]>;
	listeners(event: string): Listener[];
	on(event: string, listener: Listener): Emitter;
	off(event: string, listener: Listener): Emitter;
}

export function EventEmitter2(this: Emitter): void {
	this.listenersByEvent = new Map();
}

EventEmitter2.prototype.listeners = function listeners(this: Emitter, event: string): Listener[] {
	return this.listenersByEvent.get(event) ?? [];
};

EventEmitter2.prototype.on = function on(this: Emitter, event: string, listener: Listener): Emitter {
	this.listenersByEvent.set(event, [...this.listeners(event), listener]);
	return this;
};
EventEmitter2.prototype.addListener = EventEmitter2.prototype.on;

EventEmitter2.prototype.off = function off(this: Emitter, event: string, listener: Listener): Emitter {
	this.listenersByEvent.set(event, this.listeners(event).filter((known) => known !== listener));
	return this;
};
EventEmitter2.prototype.removeListener = EventEmitter2.prototype.off;

EventEmitter2.prototype.removeAllListeners = function removeAllListeners(this: Emitter, event?: string): Emitter {
	if (event === undefined) this.listenersByEvent.clear();
	else this.listenersByEvent.delete(event);
	return this;
};

EventEmitter2.prototype.emit = function emit(this: Emitter, event: string, ...args: unknown[]): boolean {
	const listeners = this.listeners(event);
	for (const listener of listeners) listener.apply(this, args);
	return listeners.length > 0;
};

EventEmitter2.prototype.emitAsync = async function emitAsync(this: Emitter, event: string, ...args: unknown[]): Promise<unknown[]> {
	return await Promise.all(this.listeners(event).map(async (listener) => await listener.apply(this, args)));
};

export default EventEmitter2;
