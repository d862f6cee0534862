import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { layoutTown } from './town.layout';
import { Scenario, scenarioSchema } from './scenario.schema';

export enum ScenarioErrorCode {
  /** The text is not YAML/JSON. */
  Syntax = 'scenario_syntax',
  /** The document does not match the scenario schema. */
  Invalid = 'scenario_invalid',
  /** Fields are valid one by one but contradict each other (unknown reference, duplicate id…). */
  Inconsistent = 'scenario_inconsistent',
}

function describeCode(code: ScenarioErrorCode): string {
  switch (code) {
    case ScenarioErrorCode.Syntax:
      return 'is not valid YAML or JSON';
    case ScenarioErrorCode.Invalid:
      return 'does not match the scenario format';
    case ScenarioErrorCode.Inconsistent:
      return 'is not consistent';
  }
}

/** A refused scenario: every problem, each as `path: problem`. */
export class ScenarioError extends Error {
  constructor(
    readonly code: ScenarioErrorCode,
    readonly fileName: string,
    readonly problems: readonly string[],
  ) {
    super(`${fileName} ${describeCode(code)}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ScenarioError';
  }
}

/** `buildings[3].surface_m2` from zod's path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

function valueAt(document: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = document;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function describeIssue(issue: z.core.$ZodIssue, document: unknown): string {
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    return `${path}: unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}`;
  }
  if (issue.code === 'invalid_type' && valueAt(document, issue.path) === undefined)
    return `${path}: is required`;
  return `${path}: ${issue.message}`;
}

/**
 * Parses and validates a scenario (YAML, or JSON when the file name ends in .json). Throws a ScenarioError
 * naming every problem by its path.
 */
export function parseScenario(text: string, fileName: string): Scenario {
  let document: unknown;
  try {
    document = fileName.toLowerCase().endsWith('.json')
      ? JSON.parse(text)
      : parseYaml(text, { prettyErrors: true, merge: true });
  } catch (e) {
    const message =
      e instanceof YAMLParseError
        ? `line ${e.linePos?.[0]?.line ?? '?'}, column ${e.linePos?.[0]?.col ?? '?'}: ${e.message.split('\n')[0]}`
        : (e as Error).message;
    throw new ScenarioError(ScenarioErrorCode.Syntax, fileName, [message]);
  }
  const result = scenarioSchema.safeParse(document);
  if (!result.success) {
    throw new ScenarioError(
      ScenarioErrorCode.Invalid,
      fileName,
      result.error.issues.map((i) => describeIssue(i, document)),
    );
  }
  const problems = layoutTown(result.data).problems;
  if (problems.length > 0) throw new ScenarioError(ScenarioErrorCode.Inconsistent, fileName, problems);
  return result.data;
}
