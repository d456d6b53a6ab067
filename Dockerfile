# syntax=docker/dockerfile:1
# .NET 10 images are Ubuntu 24.04 "noble"; the tags name it so the package names below stay right.

FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
# The build copies htmx from npm (ChatMvc/package-lock.json) into wwwroot/lib.
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Directory.Build.props .editorconfig ./
COPY ChatMvc/ChatMvc.csproj ChatMvc/
RUN dotnet restore ChatMvc/ChatMvc.csproj
COPY ChatMvc/package.json ChatMvc/package-lock.json ChatMvc/
RUN cd ChatMvc && npm ci --no-audit --no-fund
COPY migrations/ migrations/
COPY ChatMvc/ ChatMvc/
RUN dotnet publish ChatMvc/ChatMvc.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble AS runtime
# libvips resizes images (P/Invoke to libvips.so.42); on Ubuntu 24.04 the package is libvips42t64. ffprobe and
# ffmpeg (the ffmpeg package) read a video's size and length and make its poster frame.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libvips42t64 ffmpeg \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
# SQLite database (when Database:Provider is Sqlite) and the mail pickup folder live here; files sent in
# messages in /app/files when Storage:Path points there (docker-compose.yml), owned by the app so a new
# volume mounted there is too.
RUN mkdir -p /app/App_Data /app/files && chown "$APP_UID" /app/App_Data /app/files
VOLUME /app/App_Data
ENV ASPNETCORE_HTTP_PORTS=8080
# Fewer malloc arenas: image resizing on several threads otherwise leaves each thread's arena holding freed
# memory (bench/images.sh: peak memory in a burst of uploads 287 MB with the default, 155 MB with 2).
ENV MALLOC_ARENA_MAX=2
EXPOSE 8080
# The image's non-root "app" user.
USER $APP_UID
ENTRYPOINT ["dotnet", "ChatMvc.dll"]
