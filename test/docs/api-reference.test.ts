// docs/api.md names every value the package exports (an export it does not name fails here), and
// names nothing the package does not export.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as core from '../../src/core/index.js';

const reference = readFileSync(join(import.meta.dirname, '../../docs/api.md'), 'utf8');

describe('docs/api.md', () => {
  it('documents every exported value of the core', () => {
    const undocumented = Object.keys(core).filter((name) => !new RegExp('`' + name + '[(`.]').test(reference));
    expect(undocumented).toEqual([]);
  });

  it('documents only names that are exported (each list entry starts with exported names)', () => {
    const listed = [...reference.matchAll(/^- `([A-Za-z_][A-Za-z0-9_]*)/gm)].map((match) => match[1]);
    expect(listed.length).toBeGreaterThan(30);
    expect(listed.filter((name) => !(name in core))).toEqual([]);
  });
});
