import { z } from 'zod';

// Control characters (including NUL, which PostgreSQL refuses in text) and unpaired surrogates
// (which cannot be stored as UTF-8) are rejected, not silently altered.
const CONTROL = /\p{Cc}/u;
// The same without line feed, for multi-line text (a post's body).
const CONTROL_BUT_LINE_FEED = /[^\P{Cc}\n]/u;
// Format characters (category Cf: bidi controls such as U+202E, zero-width spaces and joiners,
// U+FEFF) and line/paragraph separators are invisible, or reorder the text around them where it
// is shown (a "Trojan Source" trick); rejected rather than stripped, so what is stored is what
// was sent.
const INVISIBLE = /[\p{Cf}\p{Zl}\p{Zp}]/u;

/**
 * Text people write and others read (names, post titles and bodies): trimmed, `min`–`max`
 * characters, NFC-normalised, without invisible, bidirectional or control characters. Messages
 * name the rule, never the value. `multiline` lets line feeds through (and nothing else).
 */
export function visibleText({ min, max, multiline = false }: { min: number; max: number; multiline?: boolean }) {
  const control = multiline ? CONTROL_BUT_LINE_FEED : CONTROL;
  return (
    z
      .string()
      // Before trimming, which would quietly drop a leading or trailing U+FEFF.
      .refine((value) => !INVISIBLE.test(value), 'must not contain invisible or bidirectional formatting characters')
      .trim()
      .min(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
      .max(max, `must be at most ${max} characters`)
      .refine((value) => value.isWellFormed() && !control.test(value), 'must not contain control characters or unpaired surrogates')
      .transform((value) => value.normalize('NFC'))
  );
}
