/** Why a writer refused a change, as the route answers it (the edge turns it into an ApiError). */
export interface RefusalBody {
  status: 400 | 403 | 404 | 409 | 429 | 503;
  code: string;
  message: string;
  field?: string;
}

/** What a writer's method answers: RPC carries plain data, not the edge's error classes. */
export type Outcome<T> = { ok: T } | { refused: RefusalBody };

/** Thrown inside the writer for a change it will not make; answered as `refused`. */
export class Refusal extends Error {
  constructor(readonly body: RefusalBody) {
    super(body.message);
  }
}

export const commentNotFound = () => new Refusal({ status: 404, code: "comment_not_found", message: "There is no such comment on this article." });
export const duplicateComment = () => new Refusal({ status: 409, code: "duplicate", message: "This comment has already been posted here." });
