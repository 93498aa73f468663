/** One problem found in a config: the field's path, the offending value and a readable message. */
export interface ConfigIssue {
  /** Dotted path of the field, e.g. "tissue.regions[0].alpha". */
  field: string;
  value: unknown;
  /** Names the field, the value, the allowed range and the unit. */
  message: string;
}

/** The most problems the message lists (all are in .issues). */
const MESSAGE_ISSUES = 10;

/** Thrown by resolveConfig and by Simulation for an invalid config, before any kernel memory exists. */
export class ConfigError extends Error {
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    super(issues.length === 1 ? `Invalid config: ${issues[0].message}`
      : `Invalid config (${issues.length} problems):\n${issues.slice(0, MESSAGE_ISSUES).map((issue) => `  - ${issue.message}`).join('\n')}` +
        (issues.length > MESSAGE_ISSUES ? `\n  … and ${issues.length - MESSAGE_ISSUES} more (all are in .issues)` : ''));
    this.name = 'ConfigError';
    this.issues = issues;
  }
}
