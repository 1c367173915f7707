import { afterAll } from 'vitest';
import { openFileStack } from './file-stack.ts';

// Runs before every test file (vitest.config.ts setupFiles): the file's own database and catcher.
const close = await openFileStack();
afterAll(close);
