/**
 * Python's `repr(float)`: the shortest digits that round-trip (as JavaScript's
 * own), laid out Python's way — exponent form when the decimal exponent is
 * below -4 or at least 16 ("1e-05", "1.5e+16"), otherwise plain with at least
 * one decimal ("1.0", "0.0001"); "nan", "inf", "-inf", "-0.0".
 */
export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  // toExponential() with no argument gives the shortest round-trip digits, e.g. "1.2345e-7".
  const [mantissa, exponentText] = Math.abs(value).toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  const digits = mantissa.replace('.', '');
  if (exponent < -4 || exponent >= 16) {
    return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  return `${sign}${whole}.${digits.slice(exponent + 1) || '0'}`;
}
