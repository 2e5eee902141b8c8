/**
 * Numbers as Halo's .NET binders read them: an id is an Int32 written in decimal (`95` or
 * `95.0`, since Halo itself answers some ids as doubles); hex (`0x1`), exponents (`1e0`) and
 * anything out of Int32 range do not bind.
 */
const integerText = /^-?\d+(\.0+)?$/;
const decimalText = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const int32Max = 2147483647;

function inInt32(value: number): boolean {
	return Number.isInteger(value) && value >= -int32Max - 1 && value <= int32Max;
}

/** An Int32 from a JSON number or a decimal string; undefined when it does not bind. */
export function integerFrom(value: unknown): number | undefined {
	if (typeof value === 'number') return inInt32(value) ? value : undefined;
	if (typeof value !== 'string' || !integerText.test(value.trim())) return undefined;
	const number = Number(value.trim());
	return inInt32(number) ? number : undefined;
}

/** A finite double from a JSON number or a decimal string (exponents allowed, hex not). */
export function decimalFrom(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value !== 'string' || !decimalText.test(value.trim())) return undefined;
	const number = Number(value.trim());
	return Number.isFinite(number) ? number : undefined;
}
