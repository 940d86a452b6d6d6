IF OBJECT_ID(N'[__EFMigrationsHistory]') IS NULL
BEGIN
    CREATE TABLE [__EFMigrationsHistory] (
        [MigrationId] nvarchar(150) NOT NULL,
        [ProductVersion] nvarchar(32) NOT NULL,
        CONSTRAINT [PK___EFMigrationsHistory] PRIMARY KEY ([MigrationId])
    );
END;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129125816_InitialCreate'
)
BEGIN
    CREATE TABLE [runs] (
        [id] varchar(36) NOT NULL,
        [displayName] nvarchar(256) NOT NULL,
        [startDateTime] datetimeoffset(7) NOT NULL,
        [endDateTime] datetimeoffset(7) NULL,
        [status] int NOT NULL,
        [blockingError] nvarchar(max) NULL,
        [statistics] nvarchar(max) NOT NULL,
        [version] rowversion NOT NULL,
        [type] varchar(32) NOT NULL,
        CONSTRAINT [PK_runs] PRIMARY KEY ([id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129125816_InitialCreate'
)
BEGIN
    CREATE INDEX [IX_runs_startDateTime] ON [runs] ([startDateTime]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129125816_InitialCreate'
)
BEGIN
    CREATE INDEX [IX_runs_status] ON [runs] ([status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129125816_InitialCreate'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261129125816_InitialCreate', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202070957_ListIndexes'
)
BEGIN
    DROP INDEX [IX_runs_startDateTime] ON [runs];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202070957_ListIndexes'
)
BEGIN
    DROP INDEX [IX_runs_status] ON [runs];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202070957_ListIndexes'
)
BEGIN
    CREATE INDEX [IX_runs_displayName_id] ON [runs] ([displayName], [id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202070957_ListIndexes'
)
BEGIN
    CREATE INDEX [IX_runs_endDateTime_id] ON [runs] ([endDateTime], [id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202070957_ListIndexes'
)
BEGIN
    CREATE INDEX [IX_runs_startDateTime_id] ON [runs] ([startDateTime], [id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202070957_ListIndexes'
)
BEGIN
    CREATE INDEX [IX_runs_status_id] ON [runs] ([status], [id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202070957_ListIndexes'
)
BEGIN
    CREATE INDEX [IX_runs_status_startDateTime_id] ON [runs] ([status], [startDateTime], [id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202070957_ListIndexes'
)
BEGIN
    CREATE INDEX [IX_runs_type_id] ON [runs] ([type], [id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202070957_ListIndexes'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261202070957_ListIndexes', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202081517_ChangeTracking'
)
BEGIN
    CREATE TABLE [changeTracking] (
        [id] int NOT NULL,
        [lastSequence] bigint NOT NULL,
        [prunedThrough] bigint NOT NULL,
        CONSTRAINT [PK_changeTracking] PRIMARY KEY ([id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202081517_ChangeTracking'
)
BEGIN
    CREATE TABLE [runTombstones] (
        [id] varchar(36) NOT NULL,
        [type] varchar(32) NOT NULL,
        [sequence] rowversion NOT NULL,
        [deletedAt] datetimeoffset(7) NOT NULL,
        CONSTRAINT [PK_runTombstones] PRIMARY KEY ([id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202081517_ChangeTracking'
)
BEGIN
    IF EXISTS (SELECT * FROM [sys].[identity_columns] WHERE [name] IN (N'id', N'lastSequence', N'prunedThrough') AND [object_id] = OBJECT_ID(N'[changeTracking]'))
        SET IDENTITY_INSERT [changeTracking] ON;
    EXEC(N'INSERT INTO [changeTracking] ([id], [lastSequence], [prunedThrough])
    VALUES (1, CAST(0 AS bigint), CAST(0 AS bigint))');
    IF EXISTS (SELECT * FROM [sys].[identity_columns] WHERE [name] IN (N'id', N'lastSequence', N'prunedThrough') AND [object_id] = OBJECT_ID(N'[changeTracking]'))
        SET IDENTITY_INSERT [changeTracking] OFF;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202081517_ChangeTracking'
)
BEGIN
    CREATE INDEX [IX_runs_version] ON [runs] ([version]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202081517_ChangeTracking'
)
BEGIN
    CREATE INDEX [IX_runTombstones_deletedAt] ON [runTombstones] ([deletedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202081517_ChangeTracking'
)
BEGIN
    CREATE INDEX [IX_runTombstones_sequence] ON [runTombstones] ([sequence]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202081517_ChangeTracking'
)
BEGIN
    EXEC(N'CREATE TRIGGER [runs_tombstone] ON [runs] AFTER DELETE AS
    BEGIN
        SET NOCOUNT ON;
        INSERT INTO [runTombstones] ([id], [type], [deletedAt]) SELECT [id], [type], TODATETIMEOFFSET(SYSUTCDATETIME(), 0) FROM deleted;
    END');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202081517_ChangeTracking'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261202081517_ChangeTracking', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202082206_IdempotencyKeys'
)
BEGIN
    CREATE TABLE [idempotencyKeys] (
        [keyHash] char(64) NOT NULL,
        [requestHash] char(64) NOT NULL,
        [runId] varchar(36) NOT NULL,
        [createdAt] datetime2 NOT NULL,
        CONSTRAINT [PK_idempotencyKeys] PRIMARY KEY ([keyHash])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202082206_IdempotencyKeys'
)
BEGIN
    CREATE INDEX [IX_idempotencyKeys_createdAt] ON [idempotencyKeys] ([createdAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202082206_IdempotencyKeys'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261202082206_IdempotencyKeys', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204162451_Subscriptions'
)
BEGIN
    CREATE TABLE [runChanges] (
        [id] bigint NOT NULL IDENTITY,
        [sequence] rowversion NOT NULL,
        [changeType] int NOT NULL,
        [runId] varchar(36) NOT NULL,
        [type] varchar(32) NOT NULL,
        [displayName] nvarchar(256) NOT NULL,
        [startDateTime] datetimeoffset(7) NOT NULL,
        [endDateTime] datetimeoffset(7) NULL,
        [status] int NOT NULL,
        [blockingError] nvarchar(max) NULL,
        [statistics] nvarchar(max) NOT NULL,
        [version] bigint NOT NULL,
        [recordedAt] datetime2(7) NOT NULL,
        CONSTRAINT [PK_runChanges] PRIMARY KEY ([id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204162451_Subscriptions'
)
BEGIN
    CREATE TABLE [subscriptions] (
        [id] varchar(36) NOT NULL,
        [owner] nvarchar(512) NOT NULL,
        [applicationId] nvarchar(256) NULL,
        [creatorId] nvarchar(256) NULL,
        [changeTypes] int NOT NULL,
        [resource] nvarchar(2048) NOT NULL,
        [notificationUrl] nvarchar(2048) NOT NULL,
        [lifecycleNotificationUrl] nvarchar(2048) NULL,
        [clientState] nvarchar(128) NULL,
        [expirationDateTime] datetime2 NOT NULL,
        [createdDateTime] datetime2 NOT NULL,
        [deliveredThrough] bigint NOT NULL,
        [leaseOwner] varchar(64) NULL,
        [leaseExpiresAt] datetime2 NULL,
        [nextAttemptAt] datetime2 NOT NULL,
        [failingSince] datetime2 NULL,
        [failedAttempts] int NOT NULL,
        CONSTRAINT [PK_subscriptions] PRIMARY KEY ([id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204162451_Subscriptions'
)
BEGIN
    CREATE UNIQUE INDEX [IX_runChanges_sequence] ON [runChanges] ([sequence]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204162451_Subscriptions'
)
BEGIN
    CREATE INDEX [IX_subscriptions_expirationDateTime] ON [subscriptions] ([expirationDateTime]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204162451_Subscriptions'
)
BEGIN
    CREATE INDEX [IX_subscriptions_nextAttemptAt] ON [subscriptions] ([nextAttemptAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204162451_Subscriptions'
)
BEGIN
    CREATE INDEX [IX_subscriptions_owner_id] ON [subscriptions] ([owner], [id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204162451_Subscriptions'
)
BEGIN
    EXEC(N'CREATE TRIGGER [runs_notify_insert] ON [runs] AFTER INSERT AS
    BEGIN
        SET NOCOUNT ON;
        IF EXISTS (SELECT 1 FROM [subscriptions])
            INSERT INTO [runChanges] ([changeType], [runId], [type], [displayName], [startDateTime], [endDateTime], [status], [blockingError], [statistics], [version], [recordedAt])
            SELECT 1, [id], [type], [displayName], [startDateTime], [endDateTime], [status], [blockingError], [statistics], CAST([version] AS bigint), SYSUTCDATETIME() FROM inserted;
    END');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204162451_Subscriptions'
)
BEGIN
    EXEC(N'CREATE TRIGGER [runs_notify_update] ON [runs] AFTER UPDATE AS
    BEGIN
        SET NOCOUNT ON;
        IF EXISTS (SELECT 1 FROM [subscriptions])
            INSERT INTO [runChanges] ([changeType], [runId], [type], [displayName], [startDateTime], [endDateTime], [status], [blockingError], [statistics], [version], [recordedAt])
            SELECT 2, [id], [type], [displayName], [startDateTime], [endDateTime], [status], [blockingError], [statistics], CAST([version] AS bigint), SYSUTCDATETIME() FROM inserted;
    END');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204162451_Subscriptions'
)
BEGIN
    EXEC(N'CREATE TRIGGER [runs_notify_delete] ON [runs] AFTER DELETE AS
    BEGIN
        SET NOCOUNT ON;
        IF EXISTS (SELECT 1 FROM [subscriptions])
            INSERT INTO [runChanges] ([changeType], [runId], [type], [displayName], [startDateTime], [endDateTime], [status], [blockingError], [statistics], [version], [recordedAt])
            SELECT 4, [id], [type], [displayName], [startDateTime], [endDateTime], [status], [blockingError], [statistics], CAST([version] AS bigint), SYSUTCDATETIME() FROM deleted;
    END');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204162451_Subscriptions'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261204162451_Subscriptions', N'10.0.15');
END;

COMMIT;
GO

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204191347_Search'
)
BEGIN
    IF FULLTEXTSERVICEPROPERTY('IsFullTextInstalled') = 1
    BEGIN
        IF NOT EXISTS (SELECT * FROM sys.fulltext_catalogs WHERE [name] = N'runs_search_catalog')
            EXEC(N'CREATE FULLTEXT CATALOG [runs_search_catalog]');
        IF NOT EXISTS (SELECT * FROM sys.fulltext_indexes WHERE [object_id] = OBJECT_ID(N'[runs]'))
            EXEC(N'CREATE FULLTEXT INDEX ON [runs] ([displayName], [blockingError]) KEY INDEX [PK_runs] ON [runs_search_catalog] WITH (CHANGE_TRACKING = AUTO, STOPLIST = SYSTEM)');
    END;
END;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204191347_Search'
)
BEGIN
    IF EXISTS (SELECT * FROM sys.fulltext_indexes WHERE [object_id] = OBJECT_ID(N'[runs]'))
        EXEC(N'CREATE FUNCTION [dbo].[runs_search] (@condition nvarchar(4000))
    RETURNS TABLE
    AS RETURN
        SELECT [ft].[KEY] AS [id] FROM CONTAINSTABLE([runs], ([displayName], [blockingError]), @condition) AS [ft]');
    ELSE
        EXEC(N'CREATE FUNCTION [dbo].[runs_search] (@condition nvarchar(4000))
    RETURNS TABLE
    AS RETURN
        SELECT [r].[id]
        FROM [runs] AS [r]
        CROSS APPLY (SELECT CASE WHEN RIGHT(@condition, 2) = N''*"'' THEN 1 ELSE 0 END AS [prefix]) AS [p]
        CROSS APPLY (SELECT REPLACE(REPLACE(REPLACE(SUBSTRING(@condition, 2, LEN(@condition) - 2 - [p].[prefix]),
            N''['', N''[[]''), N''%'', N''[%]''), N''_'', N''[_]'') AS [word]) AS [w]
        CROSS APPLY (SELECT N''%[^0-9A-Za-z]'' + [w].[word] + CASE WHEN [p].[prefix] = 1 THEN N''%'' ELSE N''[^0-9A-Za-z]%'' END AS [pattern]) AS [t]
        WHERE N'' '' + [r].[displayName] + N'' '' LIKE [t].[pattern]
            OR N'' '' + ISNULL(JSON_VALUE([r].[blockingError], ''$.code''), N'''') + N'' '' LIKE [t].[pattern]
            OR N'' '' + ISNULL(JSON_VALUE([r].[blockingError], ''$.message''), N'''') + N'' '' LIKE [t].[pattern]');
END;

COMMIT;
GO

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204191347_Search'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261204191347_Search', N'10.0.15');
END;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204210157_AsyncOperations'
)
BEGIN
    CREATE TABLE [asyncOperations] (
        [id] varchar(36) NOT NULL,
        [owner] nvarchar(1024) NOT NULL,
        [principal] nvarchar(max) NOT NULL,
        [method] varchar(16) NOT NULL,
        [baseUri] nvarchar(2048) NOT NULL,
        [target] nvarchar(max) NOT NULL,
        [requestHeaders] nvarchar(max) NOT NULL,
        [requestBody] varbinary(max) NOT NULL,
        [status] int NOT NULL,
        [createdAt] datetime2 NOT NULL,
        [expiresAt] datetime2 NOT NULL,
        [leaseOwner] varchar(64) NULL,
        [leaseExpiresAt] datetime2 NULL,
        [responseStatus] int NULL,
        [responseHeaders] nvarchar(max) NULL,
        [responseBody] varbinary(max) NULL,
        [completedAt] datetime2 NULL,
        CONSTRAINT [PK_asyncOperations] PRIMARY KEY ([id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204210157_AsyncOperations'
)
BEGIN
    CREATE INDEX [IX_asyncOperations_expiresAt] ON [asyncOperations] ([expiresAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204210157_AsyncOperations'
)
BEGIN
    CREATE INDEX [IX_asyncOperations_status_lease] ON [asyncOperations] ([status], [leaseExpiresAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261204210157_AsyncOperations'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261204210157_AsyncOperations', N'10.0.15');
END;

COMMIT;
GO

