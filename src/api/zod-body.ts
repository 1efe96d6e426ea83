import type { z } from 'zod';
import { AppError } from '../errors.ts';
import { describeZodError } from '../zod-messages.ts';

export { describeZodError };

// Validates a request body against a zod schema; a bad body is a 400 naming the field, in Chinese.

export function parseBody<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new AppError('invalid_body', describeZodError(r.error), {
      fields: r.error.issues.map((i) => i.path.join('.')),
    });
  }
  return r.data;
}
