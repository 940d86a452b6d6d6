using Microsoft.EntityFrameworkCore;

namespace IndustryData.OData.Service.Storage;

public sealed class SqlServerRunsDbContext(DbContextOptions<SqlServerRunsDbContext> options) : RunsDbContext(options);
