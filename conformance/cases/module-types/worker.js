// Every module type, and imports resolved relative to the importing module.
import config from "./config.json";
import readme from "./readme.txt";
import data from "./blob.bin";
import cjs from "./legacy.cjs";
import { helper } from "./lib/helper.js";

export default {
  async fetch() {
    const dynamic = await import("./lib/dynamic.js");
    return Response.json({
      config,
      readme,
      dataType: Object.prototype.toString.call(data),
      dataBytes: [...new Uint8Array(data)],
      cjs: cjs.answer,
      helper: helper(),
      dynamic: dynamic.value,
    });
  },
};
