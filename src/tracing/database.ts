/**
 * SQL spans: a db0 connector whose statements each run in a span (`db.system.name`,
 * `db.query.text` as written, with `?` placeholders: parameter values never reach a span).
 */
import type { Connector, PreparedStatement, Primitive, Statement } from "db0";
import { instrumentation } from "../app/instrumentation.js";

/** db0's dialects, in OpenTelemetry's `db.system.name` values. */
const SYSTEMS: Record<string, string> = { sqlite: "sqlite", libsql: "sqlite", postgresql: "postgresql", mysql: "mysql" };

export function tracedConnector(connector: Connector, connectionName: string): Connector {
  const system = SYSTEMS[connector.dialect] ?? connector.dialect;
  const query = <T>(sql: string, run: () => T | Promise<T>): Promise<T> => {
    const operation = /^\s*([a-z]+)/i.exec(sql)?.[1]?.toUpperCase();
    const attributes = {
      "db.system.name": system,
      "db.system": system,
      "db.namespace": connectionName,
      "db.operation.name": operation,
      "db.query.text": sql,
      "nitrokit.db.connector": connector.name,
    };
    const spans = instrumentation();
    if (!spans) return Promise.resolve(run());
    return spans.span(operation ? `${operation} ${connectionName}` : connectionName, attributes, async () => run(), "client");
  };
  const statement = (sql: string, prepared: Statement | PreparedStatement): Statement => ({
    bind: (...params: Primitive[]) => statement(sql, prepared.bind(...params)),
    all: (...params: Primitive[]) => query(sql, () => (prepared as Statement).all(...params)),
    run: (...params: Primitive[]) => query(sql, () => (prepared as Statement).run(...params)),
    get: (...params: Primitive[]) => query(sql, () => (prepared as Statement).get(...params)),
  });
  return {
    ...connector,
    name: connector.name,
    dialect: connector.dialect,
    getInstance: () => connector.getInstance(),
    exec: (sql: string) => query(sql, () => connector.exec(sql)),
    prepare: (sql: string) => statement(sql, connector.prepare(sql)),
    dispose: connector.dispose ? () => connector.dispose!() : undefined,
  };
}
