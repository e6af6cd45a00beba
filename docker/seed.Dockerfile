# syntax=docker/dockerfile:1
# The seed node: roles coordinator + api (`hyperdrive seed`). Build from the repository root:
#   docker build -f docker/seed.Dockerfile -t hyperdrive-seed:local .
# docker/seed.Dockerfile.dockerignore keeps bin/, obj/, .git/ and the tests out of the build context (BuildKit).

FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY hocon/ hocon/
COPY src/ src/
# Without BuildKit the ignore file is not read; host build outputs must not reach the restore.
RUN find src -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} +
RUN --mount=type=cache,id=hyperdrive-nuget,target=/root/.nuget/packages \
    dotnet publish src/HyperDrive.Cli -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble
# /data: the node's --data-dir (SQLite journal when no --postgres; logs). Owned by the image's non-root user.
RUN mkdir -p /data && chown app:app /data
COPY --from=build /app /app
USER app
WORKDIR /data
# 4053: Akka cluster (other nodes connect here). 8089: the HTTP API.
EXPOSE 4053 8089
ENTRYPOINT ["dotnet", "/app/hyperdrive.dll", "seed"]
# The API listens on every interface of the container; its token is HYPERDRIVE_API_TOKEN (set it with -e, or
# pass --token). Give --host (a name the other nodes resolve) and --seed-node when the node joins a cluster.
CMD ["--bind", "0.0.0.0", "--port", "8089", "--data-dir", "/data"]
