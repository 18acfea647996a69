/**
 * Smoke test of examples/language-model.ts on its quick run: per-token perplexity ranks the
 * BPE model several times worse than the character model, while bits per character (the
 * same total NLL over the same characters) puts them within 10% of each other.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../examples/language-model.js';

describe('examples/language-model.ts --quick', () => {
  it('per-token perplexity misleads, bits per character compares the tokenizers', async () => {
    const { character, bpe } = await main({ quick: true, chart: false });
    expect(bpe.vocabSize).toBeGreaterThan(character.vocabSize);
    expect(bpe.tokensPerName).toBeLessThan(character.tokensPerName);
    expect(bpe.perplexity).toBeGreaterThan(3 * character.perplexity);
    expect(Math.abs(bpe.bitsPerCharacter / character.bitsPerCharacter - 1)).toBeLessThan(0.1);
    // Both learned something: far below a uniform guess over 27 letters (log2 27 ≈ 4.75 bits).
    expect(character.bitsPerCharacter).toBeLessThan(3.6);
    // One character token per character (the end marker counts as one): nats/token = bits/char · ln 2.
    expect(character.crossEntropy).toBeCloseTo(character.bitsPerCharacter * Math.LN2, 6);
    // BPE: the same total NLL per name, nats/token · tokens = bits/char · ln 2 · characters.
    expect(bpe.crossEntropy * bpe.tokensPerName).toBeCloseTo(
      bpe.bitsPerCharacter * Math.LN2 * character.tokensPerName,
      6,
    );
    expect(character.samples).toHaveLength(6);
  }, 90_000);
});
