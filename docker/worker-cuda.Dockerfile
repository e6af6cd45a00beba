# syntax=docker/dockerfile:1
# A worker node with CUDA (`hyperdrive worker`): the CLI published with the CUDA TorchSharp backend, on an
# nvidia/cuda runtime image with the .NET runtime copied in. Build from the repository root:
#   docker build -f docker/worker-cuda.Dockerfile -t hyperdrive-worker-cuda:local .
# Run with the NVIDIA container toolkit (docker run --gpus all ..., or compose's GPU reservation).
ARG CUDA_IMAGE=nvidia/cuda:12.8.1-runtime-ubuntu24.04

FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY hocon/ hocon/
COPY src/ src/
RUN find src -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} +
# TorchBackend=cuda swaps libtorch-cpu for libtorch-cuda-12.8 (the packages come from nuget.org).
RUN --mount=type=cache,id=hyperdrive-nuget,target=/root/.nuget/packages \
    dotnet publish src/HyperDrive.Cli -c Release -p:TorchBackend=cuda -o /app

# The ASP.NET Core runtime (the CLI references Microsoft.AspNetCore.App), taken from Microsoft's image of the
# same Ubuntu release as the CUDA image.
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble AS dotnet

FROM ${CUDA_IMAGE}
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates libicu74 libssl3t64 tzdata zlib1g \
    && rm -rf /var/lib/apt/lists/*
COPY --from=dotnet /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \
    && useradd --uid 1654 --create-home app \
    && mkdir -p /data && chown app:app /data
ENV DOTNET_ROOT=/usr/share/dotnet \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility
COPY --from=build /app /app
USER app
WORKDIR /data
EXPOSE 4053
ENTRYPOINT ["dotnet", "/app/hyperdrive.dll", "worker"]
