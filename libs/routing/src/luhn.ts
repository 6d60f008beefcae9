/** Card numbers are 12–19 digits (ISO/IEC 7812); separators a customer may type are stripped first. */
export function normalizePan(pan: string): string {
  return pan.replace(/[\s-]/g, '');
}

export function luhnValid(pan: string): boolean {
  const digits = normalizePan(pan);
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let n = digits.charCodeAt(i) - 48;
    if (double) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
    double = !double;
  }
  return sum % 10 === 0;
}
