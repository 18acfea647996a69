/**
 * A byte-pair-encoding (BPE) tokenizer trained on a list of words (Sennrich et al. 2016):
 * start from single characters and repeatedly merge the most frequent adjacent pair of
 * symbols into one new symbol. Used by the language-model example to compare a character
 * tokenizer with a subword one on the same text.
 */

/** A trained tokenizer: its symbols (id = index) and the merges in the order learned. */
export interface Tokenizer {
  /** Symbol of each token id. Id 0 is the boundary symbol (start padding and end of word). */
  vocab: string[];
  /** Maps a word to token ids (no boundary tokens added). */
  encode(word: string): number[];
  /** Maps token ids back to text. */
  decode(ids: readonly number[]): string;
}

/** The boundary token: `.` both pads the context before a word and ends it. */
export const BOUNDARY = '.';

function fromVocab(vocab: string[], split: (word: string) => string[]): Tokenizer {
  const ids = new Map(vocab.map((symbol, id) => [symbol, id]));
  return {
    vocab,
    encode(word) {
      return split(word).map((symbol) => {
        const id = ids.get(symbol);
        if (id === undefined) throw new Error(`tokenizer: '${symbol}' in '${word}' is not in the vocabulary`);
        return id;
      });
    },
    decode(tokens) {
      return tokens.map((id) => vocab[id]).join('');
    },
  };
}

/** The characters of `words` (sorted) after the boundary: one token per character. */
export function characterTokenizer(words: readonly string[]): Tokenizer {
  const characters = new Set<string>();
  for (const word of words) for (const character of word) characters.add(character);
  return fromVocab([BOUNDARY, ...[...characters].sort()], (word) => [...word]);
}

/**
 * Learns `numMerges` BPE merges on `words` (each counted once per occurrence). Each round
 * counts every adjacent symbol pair inside the words and merges the most frequent one
 * (ties: the pair that sorts first, so training is deterministic). Merges never cross a word
 * boundary. Encoding a new word replays the merges in the order they were learned.
 */
export function trainBpe(words: readonly string[], numMerges: number): Tokenizer {
  const base = characterTokenizer(words).vocab;
  const vocab = [...base];
  const merges: [string, string][] = [];
  let corpus = words.map((word) => [...word]);
  for (let round = 0; round < numMerges; round++) {
    const counts = new Map<string, number>();
    for (const symbols of corpus) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const key = `${symbols[i]}\u0000${symbols[i + 1]}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    let best = '';
    let bestCount = 1; // a pair seen once is not worth a token
    for (const [key, count] of counts) {
      if (count > bestCount || (count === bestCount && best !== '' && key < best)) {
        best = key;
        bestCount = count;
      }
    }
    if (best === '') break;
    const [left, right] = best.split('\u0000') as [string, string];
    merges.push([left, right]);
    vocab.push(left + right);
    corpus = corpus.map((symbols) => applyMerge(symbols, left, right));
  }
  return fromVocab(vocab, (word) => {
    let symbols = [...word];
    for (const [left, right] of merges) symbols = applyMerge(symbols, left, right);
    return symbols;
  });
}

/** `symbols` with every non-overlapping adjacent `left right`, scanned left to right, joined. */
function applyMerge(symbols: string[], left: string, right: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < symbols.length; i++) {
    if (i + 1 < symbols.length && symbols[i] === left && symbols[i + 1] === right) {
      out.push(left + right);
      i++;
    } else out.push(symbols[i]);
  }
  return out;
}
