// The typed text of a number input (Controls' NumberField, the training recipe's NumInput): valid
// in-range values commit as typed; on blur or Enter an out-of-range value clamps and an invalid one
// reverts to the committed value.
import { useEffect, useState, type ChangeEvent, type FocusEvent, type KeyboardEvent } from 'react';

interface NumberTextOptions {
  value: number;
  min: number;
  max: number;
  /** Round to an integer before committing. */
  integer?: boolean;
  onCommit: (v: number) => void;
}

/** The input's value and handlers: spread them onto an `<input type="number">`. */
export function useNumberText({ value, min, max, integer, onCommit }: NumberTextOptions) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const commit = (s: string, clamp: boolean) => {
    const v = Number(s);
    if (s.trim() === '' || !Number.isFinite(v)) {
      if (clamp) setText(String(value));
      return;
    }
    const r = integer ? Math.round(v) : v;
    const c = Math.min(max, Math.max(min, r));
    if (c === r || clamp) {
      if (c !== value) onCommit(c);
      if (clamp) setText(String(c));
    }
  };
  return {
    value: text,
    onChange: (e: ChangeEvent<HTMLInputElement>) => {
      setText(e.target.value);
      commit(e.target.value, false);
    },
    onBlur: (e: FocusEvent<HTMLInputElement>) => commit(e.target.value, true),
    onKeyDown: (e: KeyboardEvent<HTMLInputElement>) => {
      if (e.key === 'Enter') commit((e.target as HTMLInputElement).value, true);
    },
  };
}
