#!/usr/bin/env node
// The installed entry point: runs the compiled CLI (built by `npm run build`, run by `prepare`).
import '../dist/app/cli.js';
