// Fails when schema.prisma and the migrated database disagree: tables, columns, types,
// nullability, defaults' presence, unique and plain indexes, enums.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it, afterAll } from "vitest";
import pg from "pg";
import { getDMMF } from "@prisma/internals";

const PG_TYPE: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Boolean: "boolean",
  DateTime: "timestamp with time zone",
  Json: "jsonb",
  Decimal: "numeric",
};

const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
afterAll(() => client.end());

describe("schema.prisma vs migrations", async () => {
  const dmmf = await getDMMF({ datamodel: fs.readFileSync(path.join(import.meta.dirname, "schema.prisma"), "utf8") });
  await client.connect();
  const cols = await client.query<{ table_name: string; column_name: string; data_type: string; udt_name: string; is_nullable: string; column_default: string | null }>(
    `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
  );
  const idx = await client.query<{ tablename: string; indexdef: string; indexname: string }>(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'`);
  const enums = await client.query<{ typname: string; labels: string[] }>(
    `SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
  );

  const dbTables = new Set(cols.rows.map((c) => c.table_name));
  const models = dmmf.datamodel.models;

  it("has exactly the tables of the schema", () => {
    expect([...dbTables].sort()).toEqual(models.map((m) => m.dbName ?? m.name).sort());
  });

  it("has the schema's enums with the same values", () => {
    const got = Object.fromEntries(enums.rows.map((e) => [e.typname, e.labels]));
    for (const e of dmmf.datamodel.enums) expect(got[e.dbName ?? e.name], e.name).toEqual(e.values.map((v) => v.dbName ?? v.name));
  });

  // information_schema names an array column by its element's internal type name (`_int4`, `_text`).
  const PG_UDT: Record<string, string> = { Int: "int4", BigInt: "int8", String: "text", Boolean: "bool", Float: "float8", Decimal: "numeric", DateTime: "timestamptz", Json: "jsonb" };

  for (const m of models) {
    it(`${m.name}: columns, types and nullability match`, () => {
      const table = m.dbName ?? m.name;
      const dbCols = cols.rows.filter((c) => c.table_name === table);
      const scalar = m.fields.filter((f) => f.kind === "scalar" || f.kind === "enum");
      expect(dbCols.map((c) => c.column_name).sort()).toEqual(scalar.map((f) => f.dbName ?? f.name).sort());
      for (const f of scalar) {
        const c = dbCols.find((x) => x.column_name === (f.dbName ?? f.name))!;
        // Scalar lists (String[]) are PostgreSQL arrays of the element type.
        const expected = f.isList ? "ARRAY" : f.kind === "enum" ? f.type : PG_TYPE[f.type];
        const actual = c.data_type === "USER-DEFINED" ? c.udt_name : c.data_type;
        expect(actual, `${table}.${f.name} type`).toBe(expected);
        if (f.isList) expect(c.udt_name, `${table}.${f.name} element type`).toBe(`_${f.kind === "enum" ? f.type : (PG_UDT[f.type] ?? PG_TYPE[f.type])}`);
        expect(c.is_nullable === "YES", `${table}.${f.name} nullable`).toBe(!f.isRequired);
        expect(c.column_default !== null, `${table}.${f.name} has default`).toBe(f.hasDefaultValue);
      }
    });
  }

  it("has the schema's indexes and unique constraints", () => {
    const describeIdx = (table: string, fields: string[], unique: boolean) => `${table}(${fields.join(",")})${unique ? " unique" : ""}`;
    const expected = dmmf.datamodel.indexes
      .filter((i) => i.type !== "id")
      .map((i) => describeIdx(models.find((m) => m.name === i.model)!.dbName ?? i.model, i.fields.map((f) => f.name), i.type === "unique"))
      .sort();
    const actual = idx.rows
      .filter((r) => !r.indexname.endsWith("_pkey"))
      .map((r) => {
        const fields = /\((.*)\)/.exec(r.indexdef)![1].split(",").map((s) => s.trim().replace(/"/g, ""));
        return describeIdx(r.tablename, fields, /UNIQUE/.test(r.indexdef));
      })
      .sort();
    expect(actual).toEqual(expected);
  });
});
