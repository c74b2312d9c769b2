// DOMException: constructor, the legacy codes and constants, own properties, Error subclassing,
// and the DOMExceptions the runtime itself throws.
function error(f) {
  try { f(); return "no error"; } catch (e) { return [e.constructor.name, e.name, e.message, e.code]; }
}
const NAMES = [
  "IndexSizeError", "DOMStringSizeError", "HierarchyRequestError", "WrongDocumentError",
  "InvalidCharacterError", "NoDataAllowedError", "NoModificationAllowedError", "NotFoundError",
  "NotSupportedError", "InUseAttributeError", "InvalidStateError", "SyntaxError",
  "InvalidModificationError", "NamespaceError", "InvalidAccessError", "ValidationError",
  "TypeMismatchError", "SecurityError", "NetworkError", "AbortError", "URLMismatchError",
  "QuotaExceededError", "TimeoutError", "InvalidNodeTypeError", "DataCloneError", "EncodingError",
  "NotReadableError", "UnknownError", "ConstraintError", "DataError", "TransactionInactiveError",
  "ReadOnlyError", "VersionError", "OperationError", "NotAllowedError", "OptOutError",
];
export default {
  fetch() {
    const out = {};
    const D = DOMException;
    out.ctor = [typeof D, D.name, D.length, Object.getPrototypeOf(D.prototype) === Error.prototype];
    out.codes = Object.fromEntries(NAMES.map((n) => [n, new D("", n).code]));
    const constants = Object.keys(D).filter((k) => /^[A-Z_]+$/.test(k));
    out.constants = constants.map((k) => [k, D[k], D.prototype[k] === D[k]]);
    const c = Object.getOwnPropertyDescriptor(D, "ABORT_ERR");
    out.constantAttributes = [c.writable, c.enumerable];
    const e = new D("msg", "DataCloneError");
    out.instance = {
      name: e.name, message: e.message, code: e.code, string: String(e),
      tag: Object.prototype.toString.call(e),
      isError: e instanceof Error, isDOMException: e instanceof D,
      ownKeys: Object.keys(e),
      json: Object.keys(JSON.parse(JSON.stringify(e))),
      stackHead: e.stack.split("\n")[0],
      stackHasCaller: /at Object\.fetch/.test(e.stack.split("\n")[1]),
      readOnly: error(() => { e.name = "Other"; }).slice(0, 1),
    };
    const d = Object.getOwnPropertyDescriptor(e, "message");
    out.ownAttributes = [d.writable, d.enumerable, d.configurable];
    out.defaults = [new D().name, new D().message, new D().code, new D(undefined, undefined).name];
    out.coercion = [
      [new D(null).message, new D(123).message, new D("m", null).name, new D("m", "Foo").code],
      (() => { const x = new D({ toString() { return "s"; } }, { toString() { return "AbortError"; } }); return [x.message, x.name, x.code]; })(),
    ];
    out.prototypeName = D.prototype.name;
    out.errors = [
      error(() => D("x")),
      error(() => new D(Symbol())),
      error(() => new D("m", Symbol())),
    ];
    class Sub extends D {
      constructor() { super("sub message", "NotFoundError"); this.extra = true; }
    }
    const s = new Sub();
    out.subclass = [s.name, s.message, s.code, s.extra, s instanceof D, s instanceof Error,
                    Object.prototype.toString.call(s), /at new Sub/.test(s.stack)];
    // The runtime's own DOMExceptions are instances of the global DOMException.
    let native;
    try { structuredClone(() => 1); } catch (x) { native = x; }
    out.runtimeThrown = [native instanceof D, native.name, native.code, native.message, Object.keys(native)];
    try { atob("*"); } catch (x) { native = x; }
    out.atobThrown = [native instanceof D, native.name, native.code];
    return Response.json(out);
  },
};
