/**
 * A character-level language model of first names, and the same model over subword (BPE)
 * tokens: per-token cross-entropy and perplexity differ between the two tokenizers because
 * they count different things, while bits per character — the total NLL of the same text
 * divided by its characters — compares them fairly. Ends by sampling a few new names.
 *
 * Model (Bengio et al. 2003, makemore's MLP): the previous `context` tokens are embedded,
 * concatenated and fed to a one-hidden-layer MLP that scores the next token.
 */
import { noGrad, Tensor, tensor } from '@xent/autograd';
import { bitsPerCharacter, crossEntropy, perplexity } from '@xent/losses';
import { Adam, CosineAnnealingLR, DataLoader, Embedding, Linear, Module, TensorDataset } from '@xent/nn';
import { Generator, manualSeed, NDArray } from '@xent/tensor';
import { type ExampleOptions, runIfMain, withDefaults } from './lib/args.js';
import { characterTokenizer, type Tokenizer, trainBpe } from './lib/bpe.js';
import { barChart, lineChart, writeChart } from './lib/chart.js';
import { loadFirstNames } from './lib/data.js';
import { progressBar } from './lib/progress.js';
import { printTable } from './lib/table.js';

/** One tokenizer's test-set numbers. */
export interface TokenizerResult {
  tokenizer: string;
  vocabSize: number;
  /** Tokens per test name (end token included). */
  tokensPerName: number;
  /** Mean NLL per token, nats. */
  crossEntropy: number;
  perplexity: number;
  /** Total NLL in bits over the characters (end of name included). */
  bitsPerCharacter: number;
  /** Test nats/token and bits/char after each epoch. */
  curves: { crossEntropy: number[]; bitsPerCharacter: number[] };
  samples: string[];
}

/** What {@link main} returns. */
export interface LanguageModelResult {
  character: TokenizerResult;
  bpe: TokenizerResult;
  seconds: number;
}

const CONTEXT = 3;

/** Embedding → concat → Linear → tanh → Linear: next-token logits from `CONTEXT` tokens. */
class NextTokenMLP extends Module {
  readonly embedding: Embedding;
  readonly hidden: Linear;
  readonly output: Linear;

  constructor(vocabSize: number, embeddingDim = 16, hiddenSize = 128) {
    super();
    this.embedding = new Embedding(vocabSize, embeddingDim);
    this.hidden = new Linear(CONTEXT * embeddingDim, hiddenSize);
    this.output = new Linear(hiddenSize, vocabSize);
  }

  forward(context: Tensor): Tensor {
    const embedded = this.embedding.forward(context); // [N, CONTEXT, D]
    const flat = embedded.reshape([context.shape[0], CONTEXT * this.embedding.embeddingDim]);
    return this.output.forward(this.hidden.forward(flat).tanh());
  }
}

/** Every (previous CONTEXT tokens → next token) pair of the names, boundary-padded. */
function examples(names: readonly string[], tokenizer: Tokenizer): { contexts: Tensor; targets: Tensor } {
  const contexts: number[] = [];
  const targets: number[] = [];
  for (const name of names) {
    const window = new Array<number>(CONTEXT).fill(0);
    for (const token of [...tokenizer.encode(name), 0]) {
      contexts.push(...window);
      targets.push(token);
      window.shift();
      window.push(token);
    }
  }
  return {
    contexts: new Tensor(NDArray.fromStorage(Int32Array.from(contexts), [targets.length, CONTEXT])),
    targets: new Tensor(NDArray.fromStorage(Int32Array.from(targets), [targets.length])),
  };
}

function sampleName(model: NextTokenMLP, tokenizer: Tokenizer, generator: Generator): string {
  const window = new Array<number>(CONTEXT).fill(0);
  const out: number[] = [];
  for (let step = 0; step < 20; step++) {
    const probs = noGrad(() => model.forward(tensor([window], { dtype: 'int32' })).softmax(-1)).data.values();
    let u = generator.next();
    let token = probs.length - 1;
    for (let i = 0; i < probs.length; i++) {
      u -= probs[i];
      if (u <= 0) {
        token = i;
        break;
      }
    }
    if (token === 0) break;
    out.push(token);
    window.shift();
    window.push(token);
  }
  return tokenizer.decode(out);
}

/** Summed test NLL, normalised per token and per character. */
function evaluate(model: NextTokenMLP, tokenizer: Tokenizer, testNames: readonly string[]) {
  const test = examples(testNames, tokenizer);
  const totalNll = noGrad(() =>
    crossEntropy(model.forward(test.contexts), test.targets, { reduction: 'sum' }).item(),
  );
  const numTokens = test.targets.size;
  const numChars = testNames.reduce((total, name) => total + name.length + 1, 0); // + the end
  return {
    tokensPerName: numTokens / testNames.length,
    crossEntropy: totalNll / numTokens,
    bitsPerCharacter: bitsPerCharacter(totalNll, numChars),
  };
}

function train(
  label: string,
  tokenizer: Tokenizer,
  trainNames: readonly string[],
  testNames: readonly string[],
  epochs: number,
  seed: number,
): TokenizerResult {
  manualSeed(seed);
  const { contexts, targets } = examples(trainNames, tokenizer);
  const loader = new DataLoader(new TensorDataset(contexts, targets), {
    batchSize: 128,
    shuffle: true,
    generator: new Generator(seed + 1),
  });
  const model = new NextTokenMLP(tokenizer.vocab.length);
  const optimizer = new Adam(model.parameters(), { lr: 3e-3 });
  const schedule = new CosineAnnealingLR(optimizer, { tMax: epochs * loader.length });
  const progress = progressBar(epochs * loader.length, label);
  const curves = { crossEntropy: [] as number[], bitsPerCharacter: [] as number[] };
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const [context, target] of loader) {
      optimizer.zeroGrad();
      const loss = crossEntropy(model.forward(context), target);
      loss.backward();
      optimizer.step();
      schedule.step();
      progress.tick(loss.item());
    }
    const scores = evaluate(model, tokenizer, testNames);
    curves.crossEntropy.push(scores.crossEntropy);
    curves.bitsPerCharacter.push(scores.bitsPerCharacter);
  }
  progress.stop();

  // Result: the summed NLL of every test token, normalised per token and per character.
  const scores = evaluate(model, tokenizer, testNames);
  const generator = new Generator(seed + 2);
  return {
    tokenizer: label,
    vocabSize: tokenizer.vocab.length,
    ...scores,
    perplexity: perplexity(scores.crossEntropy),
    curves,
    samples: Array.from({ length: 6 }, () => sampleName(model, tokenizer, generator)),
  };
}

/** Trains the character and the BPE model; prints and returns their test-set numbers. */
export async function main(options: ExampleOptions = {}): Promise<LanguageModelResult> {
  const { quick, seed, chart } = withDefaults(options);
  const started = performance.now();
  const epochs = quick ? 2 : 10;

  // Data: female and male first names, lower-cased, deduplicated, shuffled (seeded), split 90/10.
  const names = [...new Set(loadFirstNames().all.map((name) => name.toLowerCase()))];
  const order = new Generator(seed);
  for (let i = names.length - 1; i > 0; i--) {
    const j = order.integer(0, i + 1);
    [names[i], names[j]] = [names[j], names[i]];
  }
  const testSize = Math.round(names.length / 10);
  const testNames = names.slice(0, testSize);
  const trainNames = names.slice(testSize);
  console.log(`first names: ${trainNames.length} train, ${testNames.length} test`);

  // Tokenizers: characters, and BPE with 200 merges learned on the training names.
  const characters = characterTokenizer(names);
  const bpe = trainBpe(trainNames, 200);
  const pieces = (name: string) =>
    bpe
      .encode(name)
      .map((id) => bpe.vocab[id])
      .join(' ');
  console.log(`bpe: ${bpe.vocab.length} tokens; ${testNames.slice(0, 3).map(pieces).join(', ')}`);

  // Model, loss, loop: the same MLP and training for both tokenizers.
  const results = [
    train('characters', characters, trainNames, testNames, epochs, seed),
    train('bpe', bpe, trainNames, testNames, epochs, seed),
  ];
  const [character, subword] = results;
  const seconds = (performance.now() - started) / 1000;

  printTable(
    results.map((result) => ({
      tokenizer: result.tokenizer,
      vocab: result.vocabSize,
      'tokens/name': result.tokensPerName,
      'CE (nats/token)': result.crossEntropy,
      'perplexity/token': result.perplexity,
      'bits/char': result.bitsPerCharacter,
    })),
    { title: `test names (${testNames.length}), ${epochs} epochs`, digits: 3 },
  );
  for (const result of results) console.log(`${result.tokenizer} samples: ${result.samples.join(', ')}`);
  console.log(
    `per-token perplexity says bpe is ${(subword.perplexity / character.perplexity).toFixed(1)}× worse; per character the two differ by ${(100 * Math.abs(subword.bitsPerCharacter / character.bitsPerCharacter - 1)).toFixed(1)}%`,
  );
  if (chart) {
    const path = await writeChart(
      'language-model',
      [
        lineChart(
          { characters: character.curves.crossEntropy, bpe: subword.curves.crossEntropy },
          { title: 'test CE per token (not comparable)', x: 'epoch', y: 'nats / token', points: true },
        ),
        lineChart(
          { characters: character.curves.bitsPerCharacter, bpe: subword.curves.bitsPerCharacter },
          { title: 'test bits per character (comparable)', x: 'epoch', y: 'bits / char', points: true },
        ),
        barChart(
          results.flatMap((result) => [
            { category: 'nats/token', group: result.tokenizer, value: result.crossEntropy },
            { category: 'bits/char', group: result.tokenizer, value: result.bitsPerCharacter },
          ]),
          { title: 'same text, two normalisations', y: 'value' },
        ),
      ],
      { title: 'first names: character vs BPE language model', columns: 3 },
    );
    console.log(`chart: ${path}`);
  }
  console.log(`time: ${seconds.toFixed(1)} s`);
  return { character, bpe: subword, seconds };
}

runIfMain(import.meta.url, main);
