namespace IndustryData.OData.Tests.Conformance.Protocol;

/// <summary>
/// The items of OData Protocol §12 that cannot apply to this model, and why. Every other MUST item of the 4.0 and 4.01
/// Minimal, Intermediate and Advanced levels (the declared level is Advanced), and every other item this suite touches,
/// has a test in this folder (or Tests/Conformance/QueryLanguage, Tests/Conformance/DataAggregation), named after it
/// (BaselineMustTests for the basics); the general ones (4.0 Minimal 6, 8–11: extensibility, CSDL types only, no required
/// annotations, OData semantics) are what the whole suite checks, not one test. The model: entity sets runs and subscriptions,
/// no navigation properties, no singletons, no media entities or streams, no functions or actions, server-generated keys.
/// <list type="table">
/// <item><term>4.0 Advanced 9.1–9.9 (references, $filter, cast, $orderby, $count, $top/$skip, $search, $levels, $compute
/// on expanded navigation properties)</term><description>No entity type has navigation properties. $expand itself (Minimal
/// 12, Intermediate 14, Advanced 9) is served: every star form (*, */$ref, *($levels=n)) expands nothing, so the response is
/// the one without it; naming a property is a 400 (Advanced40Tests, Query/ExpandTests). The rows of $crossjoin(runs) do
/// have the navigation property runs: there $expand inlines it, writes its reference (9.1) or casts it (9.3); it is
/// single-valued per row, so 9.2 and 9.4–9.7 do not arise.</description></item>
/// <item><term>Updatable 20 (POST of related entities), 21, 22, 25 ($ref), 4.01 Updatable 19, 22 ($ref of collection members)</term>
/// <description>No navigation properties, so no related entities and no references.</description></item>
/// <item><term>Updatable 29 (upserts), 4.01 Updatable 20, 21 (nested content, deep updates), 4.0 Updatable 32 (deep inserts)</term>
/// <description>Keys are computed by the service (Core.Computed on id), and OData Protocol §11.4.4 says upserts are not
/// supported against such entities: PUT/PATCH of an unknown id is a 404 (UpdateRestrictions Upsertable=false). No
/// navigation properties, so nothing is nested.</description></item>
/// <item><term>Intermediate 6 (/$value on media entities)</term><description>No media entities (/$value of properties: Intermediate40Tests).</description></item>
/// <item><term>Intermediate 7.5 ($filter on expanded entities)</term><description>Nothing is expanded.</description></item>
/// <item><term>4.01 Minimal 5 ($schemaversion)</term><description>$metadata has no Core.SchemaVersion, so there is no version to be incompatible with.</description></item>
/// <item><term>4.01 Minimal 9.3–9.5 (function imports, actions without parameters, default namespaces)</term><description>No functions or
/// actions are exposed besides delta(), which is bound and takes no parameters.</description></item>
/// <item><term>4.01 Minimal 9.8, 4.01 Intermediate 3 (eq/ne null on single-valued navigation properties)</term><description>No navigation properties.</description></item>
/// <item><term>4.01 Updatable 23–26 (POST to collections of complex/primitive types, PATCH/DELETE of collections, set-based
/// writes via a type-cast collection URL, delta payload PATCH of entity sets)</term><description>All MAY; not offered
/// (blockingError/details is replaced with PUT; POST to it is a 405).</description></item>
/// </list>
/// </summary>
public static class NotApplicable;
