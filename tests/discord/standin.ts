/**
 * Entry of the local Discord stand-in (the modules live in `standin/`): kept so every
 * existing `import … from './standin.js'` keeps working.
 */
export * from './standin/index.js';
