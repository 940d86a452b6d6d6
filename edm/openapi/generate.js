#!/usr/bin/env node
// Produces edm/industryData.openapi.json from edm/industryData.csdl.xml with the OASIS converter (odata-openapi, pinned in
// package.json / package-lock.json), then makes the adjustments below, each of which corrects something the converter
// cannot know from the CSDL. Everything else is the converter's output, unchanged.
//
//   npm ci && node generate.js [output file]      (default: ../industryData.openapi.json)
//
// The committed file is a contract like the CSDL JSON: Tests/OpenApi/OpenApiGenerationTests runs this script and fails
// on any difference; Tests/OpenApi/OpenApiDescriptionTests checks against the service what each adjustment promises.
"use strict";

const { readFileSync, writeFileSync } = require("node:fs");
const path = require("node:path");
const { xml2json } = require("odata-csdl");
const { csdl2openapi } = require("odata-openapi");

// The committed server URL is the README's development address; GET /$openapi replaces it with the request's service root.
const CONVERTER_OPTIONS = {
  scheme: "http",
  host: "localhost:5000",
  basePath: "",
  openapiVersion: "3.1.0",
  defaultTitle: "IndustryData runs (microsoft.graph.industryData)",
  defaultDescription:
    "Create, read, query, update and delete runs of industry data flows (`outgoingFlowRun`, `incomingFlowRun`) in the " +
    "entity set `runs`, as OData v4 with Microsoft Graph conventions. Errors are Graph-style `{\"error\":{...}}` objects. " +
    "The model as CSDL: `$metadata`.",
};

const READ = "IndustryData-Run.Read.All";
const READ_WRITE = "IndustryData-Run.ReadWrite.All";
const METHODS = ["get", "put", "post", "delete", "patch", "head"];

function main() {
  const target = path.resolve(process.argv[2] ?? path.join(__dirname, "..", "industryData.openapi.json"));
  const csdl = xml2json(readFileSync(path.join(__dirname, "..", "industryData.csdl.xml"), "utf8"));
  const messages = [];
  const openapi = csdl2openapi(csdl, { ...CONVERTER_OPTIONS, messages });
  if (messages.length > 0) {
    throw new Error("The converter reported: " + JSON.stringify(messages));
  }

  adjust(openapi, new Csdl(csdl));
  writeFileSync(target, JSON.stringify(openapi, null, 2) + "\n");
  console.log(target);
}

function adjust(openapi, csdl) {
  bearerSecurity(openapi);
  graphErrors(openapi);
  concreteTypes(openapi, csdl);
  sortableOnly(openapi, csdl);
  jsonBatch(openapi);
  createExample(openapi, csdl);
  keyForms(openapi);
  applyParameter(openapi, csdl);
}

// 1. Security. The CSDL has no Authorization annotations (the identity provider is configuration), so the converter writes
// no security at all. Every operation needs a bearer JWT with one of Graph's two permissions, from `scp` or `roles`.
// OpenAPI 3.1 lets a non-OAuth requirement name the roles it needs; alternatives are separate requirement objects.
function bearerSecurity(openapi) {
  openapi.components.securitySchemes = {
    bearer: {
      type: "http",
      scheme: "bearer",
      bearerFormat: "JWT",
      description:
        `A JWT whose \`scp\` (delegated) or \`roles\` (application) claim grants \`${READ}\` (read) or ` +
        `\`${READ_WRITE}\` (read and write). Missing or invalid: 401; without the permission: 403.`,
    },
  };
  const readers = [{ bearer: [READ] }, { bearer: [READ_WRITE] }];
  const writers = [{ bearer: [READ_WRITE] }];
  for (const [route, item] of Object.entries(openapi.paths)) {
    for (const method of METHODS.filter((m) => item[m])) {
      // A batch needs a token for its parts; each part is then authorized on its own. Subscribing needs only the read
      // permission of what is watched (Graph's rule), so every /subscriptions operation takes either permission.
      const readable = method === "get" || route.endsWith("/$batch") || route.startsWith("/subscriptions");
      item[method].security = readable ? readers : writers;
    }
  }
}

// 2. Errors. The converter describes OData's standard error (`innererror`) for 4XX only. The service answers every 4xx
// and 5xx (503 unavailable, 507 storage full, ...) in Microsoft Graph's shape: `code` is the HTTP status in camel case,
// the specific reason is in `innerError.code` and `details[].code`, and `innerError` carries the request ids and date.
function graphErrors(openapi) {
  const detail = {
    type: "object",
    required: ["code", "message"],
    properties: { code: { type: "string" }, message: { type: "string" }, target: { type: "string" } },
  };
  openapi.components.schemas.error = {
    type: "object",
    required: ["error"],
    properties: {
      error: {
        type: "object",
        required: ["code", "message"],
        properties: {
          code: { type: "string", description: "The HTTP status in camel case: badRequest, unauthorized, forbidden, notFound, ...", example: "badRequest" },
          message: { type: "string", description: "What is wrong and how to fix it." },
          target: { type: "string", description: "The property or query option at fault." },
          details: { type: "array", items: detail, description: "Every fault, when several properties are wrong." },
          innerError: {
            type: "object",
            additionalProperties: true,
            properties: {
              code: { type: "string", description: "The specific reason, e.g. invalidEnumValue." },
              "request-id": { type: "string" },
              "client-request-id": { type: "string" },
              "trace-id": { type: "string", description: "The W3C trace id of the request (OpenTelemetry), for finding it in traces." },
              date: { type: "string", format: "date-time" },
            },
          },
        },
      },
    },
  };
  openapi.components.responses.error.description = "Error, in Microsoft Graph's shape";
  // The statuses every caller meets are also listed by code (API pages show a bare 4XX range as "undocumented").
  const byCode = {
    400: "Bad request: the message says what to fix, details[] lists every fault",
    401: "No valid bearer token",
    403: "The token lacks the permission",
  };
  openapi.components.responses["404"] = { ...openapi.components.responses.error, description: "No such resource" };
  for (const [code, description] of Object.entries(byCode)) {
    openapi.components.responses[code] = { ...openapi.components.responses.error, description };
  }
  for (const [route, item] of Object.entries(openapi.paths)) {
    for (const method of METHODS.filter((m) => item[m])) {
      const responses = item[method].responses;
      for (const code of Object.keys(byCode)) {
        responses[code] = { $ref: `#/components/responses/${code}` };
      }
      if (/\{[^}]+\}/.test(route)) {
        responses["404"] = { $ref: "#/components/responses/404" };
      }
      responses["5XX"] = { $ref: "#/components/responses/error" };
    }
  }
}

// 3. Concrete types. The converter writes no `@odata.type`, and describes an abstract type as `anyOf` its concrete
// types: a client that follows it sends a create to an abstract set without a type (400: the service cannot know which
// type to make), and a generated client (Kiota) cannot tell which type a response holds. Every concrete entity type's
// schemas get `@odata.type`; an abstract type's schemas are `oneOf` the concrete ones, told apart by `@odata.type`
// (OpenAPI's discriminator); the converter's create schemas require only keys: properties that are not nullable and
// not computed are required too, with `@odata.type`.
function concreteTypes(openapi, csdl) {
  const schemas = openapi.components.schemas;
  const suffixes = ["", "-create", "-update"];
  for (const [name, type] of csdl.entityTypes()) {
    if (type.$Abstract) {
      const concrete = csdl.derivedConcreteTypes(name);
      for (const suffix of suffixes.filter((suffix) => schemas[name + suffix] && concrete.length > 0)) {
        const schema = schemas[name + suffix];
        delete schema.anyOf;
        schema.oneOf = concrete.map((derived) => ({ $ref: `#/components/schemas/${derived}${suffix}` }));
        schema.discriminator = {
          propertyName: "@odata.type",
          mapping: Object.fromEntries(concrete.map((derived) => ["#" + derived, `#/components/schemas/${derived}${suffix}`])),
        };
      }
      continue;
    }

    const odataType = { type: "string", enum: ["#" + name], default: "#" + name };
    for (const suffix of suffixes.filter((suffix) => schemas[name + suffix])) {
      const schema = schemas[name + suffix];
      schema.properties = { "@odata.type": odataType, ...schema.properties };
    }
    schemas[name + "-create"].required = ["@odata.type", ...csdl.requiredOnCreate(name)];
  }
  for (const [, set] of csdl.entitySets()) {
    const post = openapi.paths["/" + set.name]?.post;
    if (!csdl.element(set.$Type).$Abstract || !post) continue;
    const concrete = csdl.derivedConcreteTypes(set.$Type);
    post.requestBody.description +=
      ` Send \`@odata.type\` with one of: ${concrete.map((name) => "`#" + name + "`").join(", ")}.`;
  }
}

// 4. Sorting. The converter offers $orderby on the members of complex properties even when SortRestrictions lists the
// complex property itself as not sortable; the service rejects those with 400.
function sortableOnly(openapi, csdl) {
  for (const [, set] of csdl.entitySets()) {
    const nonSortable = csdl.annotation(set, "Org.OData.Capabilities.V1", "SortRestrictions")?.NonSortableProperties ?? [];
    const orderby = openapi.paths["/" + set.name]?.get?.parameters?.find((p) => p.name === "$orderby");
    if (!orderby || nonSortable.length === 0) continue;
    orderby.schema.items.enum = orderby.schema.items.enum.filter(
      (value) => !nonSortable.some((property) => value.split(" ")[0] === property || value.startsWith(property + "/")));
  }
}

// 5. $batch. The converter describes the multipart format only; the service also takes OData 4.01's JSON batch
// (BatchSupport/SupportedFormats in the CSDL lists both).
function jsonBatch(openapi) {
  const batch = openapi.paths["/$batch"]?.post;
  if (!batch) return;
  batch.description = batch.description.replace(/\n\n\*Please note[^*]*\*/, "") +
    "\n\nJSON batch (`application/json`) or multipart batch (`multipart/mixed`); at most 20 requests.";
  batch.requestBody.content = {
    "application/json": {
      schema: { type: "object", required: ["requests"], properties: { requests: { type: "array", items: { type: "object" } } } },
      example: {
        requests: [
          { id: "1", method: "GET", url: "runs?$top=5" },
          { id: "2", method: "GET", url: "runs/$count" },
        ],
      },
    },
    ...batch.requestBody.content,
  };
  batch.responses["200"].content = {
    "application/json": { schema: { type: "object", properties: { responses: { type: "array", items: { type: "object" } } } } },
    ...batch.responses["200"].content,
  };
}

// 6. Example. The API page's create request (docs: create outgoingFlowRun), with real values instead of placeholders,
// as the example of every create on a set, so the API page shows a request that works as it is.
function createExample(openapi, csdl) {
  for (const [, set] of csdl.entitySets()) {
    const body = openapi.paths["/" + set.name]?.post?.requestBody?.content?.["application/json"];
    if (!body) continue;
    body.example = {
      "@odata.type": "#microsoft.graph.industryData.outgoingFlowRun",
      displayName: "Nightly roster export",
      startDateTime: "2026-01-31T09:30:00+01:00",
      endDateTime: "2026-01-31T09:42:10+01:00",
      status: "completed",
      statistics: {
        "@odata.type": "microsoft.graph.industryData.runStatistics",
        rowsRead: 1200,
        rowsWritten: 1187,
        durationSeconds: 730.5,
        perEntity: { students: 900, teachers: 287 },
      },
    };
  }
}

// 7. Keys. An OpenAPI path is a single template; the converter picks key-as-segment (KeyAsSegmentSupported). The
// service answers the same for OData's parenthesised key, also followed by a type-cast segment; the path's description
// says so. (Extend this list when the service learns more URL forms.)
function keyForms(openapi) {
  for (const [route, item] of Object.entries(openapi.paths)) {
    const match = /^\/([^/]+)\/\{([^}]+)\}$/.exec(route);
    if (!match) continue;
    const [, set, key] = match;
    item.description =
      `The same resource is also addressed as \`${set}('{${key}}')\`, and as \`${set}('{${key}}')/{type-cast}\` ` +
      "(e.g. `/microsoft.graph.industryData.outgoingFlowRun`), which answers 404 unless the resource is of that type.";
  }
}

// 8. $apply. The converter offers $apply only when Aggregation.ApplySupported annotates the entity container; the CSDL
// annotates the runs set (subscriptions have no $apply). Each set that has it gets the parameter on its collection GET,
// listing the transformations the annotation names.
function applyParameter(openapi, csdl) {
  for (const [, set] of csdl.entitySets()) {
    const supported = csdl.annotation(set, "Org.OData.Aggregation.V1", "ApplySupported");
    const get = openapi.paths["/" + set.name]?.get;
    if (!supported || !get) continue;
    get.parameters.push({
      name: "$apply",
      in: "query",
      description:
        "Grouping and aggregation, see [Aggregation](http://docs.oasis-open.org/odata/odata-data-aggregation-ext/v4.0/odata-data-aggregation-ext-v4.0.html). " +
        `Transformations: ${supported.Transformations.map((name) => "`" + name + "`").join(", ")}; e.g. \`groupby((status),aggregate($count as n))\`. ` +
        "$filter, $orderby, $top, $skip and $count apply to its result.",
      schema: { type: "string" },
      example: "groupby((status),aggregate($count as n))",
    });
  }
}

// The parts of the CSDL JSON the adjustments read, with aliases resolved.
class Csdl {
  constructor(json) {
    this.json = json;
    this.aliases = {};
    for (const reference of Object.values(json.$Reference ?? {})) {
      for (const include of reference.$Include ?? []) {
        if (include.$Alias) this.aliases[include.$Namespace] = include.$Alias;
      }
    }
  }

  *schemas() {
    for (const [namespace, schema] of Object.entries(this.json)) {
      if (!namespace.startsWith("$")) yield [namespace, schema];
    }
  }

  *entityTypes() {
    for (const [namespace, schema] of this.schemas()) {
      for (const [name, element] of Object.entries(schema)) {
        if (element?.$Kind === "EntityType") yield [`${namespace}.${name}`, element];
      }
    }
  }

  *entitySets() {
    const [namespace, container] = this.json.$EntityContainer.split(/\.(?=[^.]+$)/);
    for (const [name, element] of Object.entries(this.json[namespace][container])) {
      if (element?.$Collection && element.$Type) yield [name, { ...element, name }];
    }
  }

  element(qualifiedName) {
    const [namespace, name] = qualifiedName.split(/\.(?=[^.]+$)/);
    return this.json[namespace][name];
  }

  annotation(element, namespace, term) {
    return element[`@${namespace}.${term}`] ?? element[`@${this.aliases[namespace]}.${term}`];
  }

  baseChain(qualifiedName) {
    const chain = [];
    for (let name = qualifiedName; name; name = this.element(name).$BaseType) chain.push(name);
    return chain;
  }

  derivedConcreteTypes(qualifiedName) {
    return [...this.entityTypes()]
      .filter(([name, type]) => !type.$Abstract && this.baseChain(name).includes(qualifiedName))
      .map(([name]) => name);
  }

  requiredOnCreate(qualifiedName) {
    const required = [];
    for (const name of this.baseChain(qualifiedName).reverse()) {
      for (const [property, element] of Object.entries(this.element(name))) {
        if (property.startsWith("$") || property.startsWith("@") || element.$Kind === "NavigationProperty") continue;
        if (element.$Nullable !== true && !this.annotation(element, "Org.OData.Core.V1", "Computed")) required.push(property);
      }
    }
    return required;
  }
}

module.exports = { adjust, Csdl };
if (require.main === module) main();
