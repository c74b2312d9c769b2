// Node.js compatibility (nodejs_compat): placeholder until the modules land. Sets
// internal.node = { buffer, events, util, crypto, assert, path, url, string_decoder,
// async_hooks, process } (each a module's exports object; see workers.js nodeModule()).
"use strict";
internal.node = {};
