-- AutoGPT platform tables the graph lookup reads, as Prisma creates them from AutoGPT's schema.prisma
-- (models User, AgentGraph, AgentGraphExecution; only the columns and keys that matter here, same names and types).
CREATE SCHEMA IF NOT EXISTS platform;

CREATE TYPE platform."AgentExecutionStatus" AS ENUM
    ('INCOMPLETE', 'QUEUED', 'RUNNING', 'COMPLETED', 'TERMINATED', 'FAILED', 'REVIEW');

CREATE TABLE platform."User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

CREATE TABLE platform."AgentGraph" (
    "id" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "name" TEXT,
    "userId" TEXT NOT NULL,
    CONSTRAINT "AgentGraph_pkey" PRIMARY KEY ("id", "version")
);

CREATE TABLE platform."AgentGraphExecution" (
    "id" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3),
    "isDeleted" BOOLEAN NOT NULL DEFAULT false,
    "executionStatus" platform."AgentExecutionStatus" NOT NULL DEFAULT 'COMPLETED',
    "agentGraphId" TEXT NOT NULL,
    "agentGraphVersion" INTEGER NOT NULL,
    "agentPresetId" TEXT,
    "inputs" JSONB,
    "credentialInputs" JSONB,
    "nodesInputMasks" JSONB,
    "userId" TEXT NOT NULL,
    "stats" JSONB,
    "isShared" BOOLEAN NOT NULL DEFAULT false,
    "shareToken" TEXT,
    "sharedAt" TIMESTAMP(3),
    CONSTRAINT "AgentGraphExecution_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "AgentGraphExecution_agentGraphId_agentGraphVersion_fkey" FOREIGN KEY ("agentGraphId", "agentGraphVersion")
        REFERENCES platform."AgentGraph" ("id", "version") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AgentGraphExecution_userId_fkey" FOREIGN KEY ("userId")
        REFERENCES platform."User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE INDEX "AgentGraphExecution_userId_isDeleted_createdAt_idx"
    ON platform."AgentGraphExecution" ("userId", "isDeleted", "createdAt");
