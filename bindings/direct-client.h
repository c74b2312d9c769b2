// A Cap'n Proto capability for a server in this process, with a cheaper call path than the
// library's own local client.
//
// A call between two workers of one process goes through the same generated interfaces as a
// call between processes: a request message, the server's dispatchCall() with a CallContext,
// a response message, a pipeline. capnp's LocalClient does that with about thirty allocations
// and several forked promises per call (it forks the call so that a dropped caller cannot
// cancel it, forks again for the pipeline and queues pipelined calls behind a promise). A
// JS RPC round trip is dominated by such per-call costs, so the JsRpcTarget servers are
// reached through a DirectClient instead: one object is the request, the call context, the
// response and the pipeline, the message's first segments live inside it, and delivery is one
// event-loop turn after send() (never inside the caller's code, as with LocalClient).
//
// What differs from LocalClient, deliberately:
// - Dropping the response promise cancels a call still running. Callers that need a call to
//   outlive its promise keep the promise (RpcCallResult hands an abandoned call to the worker's
//   task set).
// - A pipelined capability requested before the call completes resolves when it completes;
//   the server's setPipeline() is not used to resolve it earlier.
#pragma once

#include <capnp/capability.h>

namespace loaderd {

kj::Own<capnp::ClientHook> newDirectClient(kj::Own<capnp::Capability::Server> server);

// The worker a call is sent on behalf of. A call sent while a CallerAccount is current (see
// sendingFor()) is not delivered if its caller is gone by then, and large results count against
// the caller's memory from when the callee writes them until the caller drops them: a caller
// that sent a burst of calls and is torn down by the first results does not receive the rest.
class CallerAccount: public kj::Refcounted {
public:
  virtual ~CallerAccount() noexcept(false) = default;
  virtual bool gone() = 0;
  virtual kj::Own<void> holdResults(size_t bytes) = 0;
};

// Calls sent on this thread while it lives are sent on behalf of `account`.
class SendingFor {
public:
  explicit SendingFor(CallerAccount& account);
  ~SendingFor();
  KJ_DISALLOW_COPY(SendingFor);

private:
  CallerAccount* previous;
};

// A promise capability (a pipelined result, an entrypoint still being looked up) whose calls
// carry their caller's account to the DirectClient it resolves to, in the order they were made;
// any other capability as it is.
kj::Own<capnp::ClientHook> withDirectCalls(kj::Own<capnp::ClientHook> hook);

template <typename T>
typename T::Client withDirectCalls(typename T::Client client) {
  return capnp::Capability::Client(withDirectCalls(capnp::ClientHook::from(kj::mv(client))))
      .template castAs<T>();
}

// `T::Client` for a server of interface T, called directly.
template <typename T>
typename T::Client directClient(kj::Own<typename T::Server> server) {
  return typename T::Client(newDirectClient(kj::mv(server)));
}

}  // namespace loaderd
