/** One problem found in a config: the field's path, the offending value and a readable message. */
export interface ConfigIssue {
  /** Dotted path of the field, e.g. "tissue.regions[0].alpha". */
  field: string;
  value: unknown;
  /** Names the field, the value, the allowed range and the unit. */
  message: string;
}

/** Thrown by resolveConfig and by Simulation for an invalid config, before any kernel memory exists. */
export class ConfigError extends Error {
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    super(issues.length === 1 ? `Invalid config: ${issues[0].message}`
      : `Invalid config (${issues.length} problems):\n${issues.map((issue) => `  - ${issue.message}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}
