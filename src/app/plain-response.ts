import { FastResponse } from "srvx";

/** A plain JSON answer's parts as Node's listener writes them: the body and its headers, as built. */
export interface PlainAnswerParts {
  readonly body: string;
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
}

/**
 * The response of a handler's plain object (app-h3.ts builds it): srvx's `FastResponse` in every
 * way that anyone can see, that also keeps the body and headers it was built from, so the Node
 * listener can write them as they are instead of asking srvx to take the response apart again.
 *
 * The parts stand only while nobody has looked inside the response: reading `headers` (which may
 * change them: the `response` hook, the tracing and logging observers) or anything that makes srvx
 * build the web `Response` underneath (`body`, `text()`, `clone()` …) drops them, and the listener
 * then goes through srvx as for any response. A response's status and body cannot change.
 */
export class PlainJSONResponse extends FastResponse {
  #parts: PlainAnswerParts | undefined;

  constructor(body: string, headers: Array<[name: string, value: string]>) {
    super(body, { headers });
    this.#parts = { body, headers };
  }

  override get headers(): Headers {
    this.#parts = undefined;
    return super.headers;
  }

  /** srvx's Node response builds the web `Response` here, for every method it inherits from it. */
  get _response(): Response {
    this.#parts = undefined;
    return Reflect.get(FastResponse.prototype, "_response", this) as Response;
  }

  /** The parts as built, or undefined once the response has been read or could have changed. */
  static partsOf(response: Response): PlainAnswerParts | undefined {
    return #parts in response ? (response as PlainJSONResponse).#parts : undefined;
  }
}
