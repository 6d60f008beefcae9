import { ValidationArguments, ValidationTypes } from 'class-validator';

/**
 * class-validator's rules for a DTO class, gathered once instead of on every request (its `validate`
 * walks every registered class for inherited rules each time). Answers only whether a value passes, under
 * the options payhub validates with (whitelist, forbidNonWhitelisted, forbidUnknownValues, no groups); an
 * invalid value is validated again by class-validator itself, so the errors and their wording are its own.
 * Anything this cannot decide for certain (async rules, promises, groups) answers "not known" and goes
 * the same way.
 */

/** The parts of class-validator's metadata this reads (its own types sit outside the package's entry point). */
interface ValidationMetadata {
  type: string;
  propertyName: string;
  constraints: unknown[];
  constraintCls: object;
  each?: boolean;
  validateIf?: (object: object, value: unknown) => boolean;
  groups?: string[];
  always?: boolean;
}

interface MetadataStorage {
  getTargetValidationMetadatas(target: object, schema: string, always: boolean, strictGroups: boolean, groups?: string[]): ValidationMetadata[];
  groupByPropertyName(metadatas: ValidationMetadata[]): Record<string, ValidationMetadata[]>;
  getTargetValidatorConstraints(target: object): Array<{ async?: boolean; instance: unknown }>;
}

interface Check {
  constraints: Array<{ validate(value: unknown, args: ValidationArguments): unknown }>;
  metadata: ValidationMetadata;
}

interface PropertyPlan {
  name: string;
  conditions: Array<(object: object, value: unknown) => boolean>;
  checks: Check[];
  nested: boolean;
}

/** null: the class has no rules (forbidUnknownValues refuses it) or rules this does not decide. */
type ClassPlan = { properties: PropertyPlan[]; allowed: Set<string> } | null;

/** A class, as class-validator keys its rules (`object.constructor`). */
type Target = abstract new (...args: never[]) => unknown;

const plans = new Map<Target, ClassPlan>();

/** true when class-validator would find no error in `object`; false when it would, or when that is not known here. */
export function passesCompiledValidation(object: unknown): boolean {
  if (typeof object !== 'object' || object === null) return false;
  return passes(object);
}

function passes(object: object): boolean {
  const plan = planFor(object.constructor as Target);
  if (!plan) return false;
  for (const key of Object.keys(object)) if (!plan.allowed.has(key)) return false;
  const record = object as Record<string, unknown>;
  for (const property of plan.properties) {
    const value = record[property.name];
    if (!property.conditions.every((condition) => condition(object, value))) continue;
    for (const { metadata, constraints } of property.checks) {
      if (metadata.validateIf && !metadata.validateIf(object, value)) continue;
      const args: ValidationArguments = {
        targetName: object.constructor ? object.constructor.name : (undefined as unknown as string),
        property: metadata.propertyName,
        object,
        value,
        constraints: metadata.constraints,
      };
      for (const constraint of constraints) {
        if (metadata.each && (Array.isArray(value) || value instanceof Set || value instanceof Map)) {
          for (const item of value instanceof Map ? [...value.values()] : [...value]) if (!certainlyTrue(constraint.validate(item, args))) return false;
        } else if (!certainlyTrue(constraint.validate(value, args))) return false;
      }
    }
    if (property.nested && !nestedPasses(value)) return false;
  }
  return true;
}

function nestedPasses(value: unknown): boolean {
  if (value === undefined) return true;
  if (Array.isArray(value) || value instanceof Set || value instanceof Map) {
    const items = value instanceof Set ? [...value] : value instanceof Map ? [...value.values()] : value;
    return items.every((item) => nestedPasses(item));
  }
  return value instanceof Object && passes(value);
}

/** A promise is never taken for a pass: the caller then asks class-validator. */
function certainlyTrue(result: unknown): boolean {
  return result === true || (!!result && typeof (result as { then?: unknown }).then !== 'function');
}

function planFor(target: Target): ClassPlan {
  if (plans.has(target)) return plans.get(target)!;
  const plan = compile(target);
  plans.set(target, plan);
  return plan;
}

/** class-validator keeps its one storage on the global object (its `getMetadataStorage` is not exported). */
function metadataStorage(): MetadataStorage | undefined {
  return (globalThis as { classValidatorMetadataStorage?: MetadataStorage }).classValidatorMetadataStorage;
}

function compile(target: Target): ClassPlan {
  const storage = metadataStorage();
  if (!storage) return null;
  const metadatas = storage.getTargetValidationMetadatas(target, undefined as unknown as string, false, false, undefined);
  if (!metadatas.length) return null;
  if (metadatas.some((m) => (m.groups && m.groups.length) || m.always !== undefined || m.type === ValidationTypes.PROMISE_VALIDATION)) return null;
  const grouped = storage.groupByPropertyName(metadatas);
  const properties: PropertyPlan[] = [];
  for (const [name, list] of Object.entries(grouped)) {
    const checks: Check[] = [];
    for (const metadata of list.filter((m) => m.type === ValidationTypes.IS_DEFINED || m.type === ValidationTypes.CUSTOM_VALIDATION)) {
      const constraints = storage.getTargetValidatorConstraints(metadata.constraintCls);
      if (constraints.some((c) => c.async)) return null;
      checks.push({ metadata, constraints: constraints.map((c) => c.instance as Check['constraints'][number]) });
    }
    properties.push({
      name,
      conditions: list.filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION).map((m) => m.constraints[0] as PropertyPlan['conditions'][number]),
      checks,
      nested: list.some((m) => m.type === ValidationTypes.NESTED_VALIDATION),
    });
  }
  return { properties, allowed: new Set(Object.keys(grouped).filter((name) => grouped[name].length > 0)) };
}
