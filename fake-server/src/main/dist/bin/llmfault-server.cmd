@echo off
rem Starts the LLM Fault Kit standalone server: bin\llmfault-server.cmd [--port 8089] [--config FILE] ... (see --help).
rem A bounded heap by default (under 400 MB resident after a million requests); JAVA_OPTS comes after the
rem defaults, so its flags win. LLMFAULT_CDS=off skips the class-data-sharing archive, which is made once per
rem JVM by a short training run and kept in LLMFAULT_CDS_DIR (default %LOCALAPPDATA%\llmfault-server).
setlocal EnableExtensions EnableDelayedExpansion

set "APP_HOME=%~dp0.."
set "JAR=%APP_HOME%\lib\llmfault-server.jar"
if defined JAVA_HOME (set "JAVA_CMD=%JAVA_HOME%\bin\java.exe") else (set "JAVA_CMD=java")

set "DEFAULT_JVM_OPTS=-Xms64m -Xmx256m -XX:+UseG1GC"
echo " %JAVA_OPTS% " | findstr /R /C:" -XX:+Use[A-Za-z]*GC " >nul && set "DEFAULT_JVM_OPTS=!DEFAULT_JVM_OPTS:-XX:+UseG1GC=!"

set "CDS_OPTS="
if /I not "%LLMFAULT_CDS%"=="off" (
  if not defined LLMFAULT_CDS_DIR set "LLMFAULT_CDS_DIR=%LOCALAPPDATA%\llmfault-server"
  for %%J in ("%JAR%") do set "JAR_STAMP=%%~zJ-%%~tJ"
  set "JAR_STAMP=!JAR_STAMP::=!"
  set "JAR_STAMP=!JAR_STAMP:/=!"
  set "JAR_STAMP=!JAR_STAMP: =!"
  for /f "tokens=3" %%V in ('"%JAVA_CMD%" -version 2^>^&1 ^| findstr /i "version"') do set "JAVA_VERSION=%%~V"
  set "ARCHIVE=!LLMFAULT_CDS_DIR!\llmfault-server-!JAVA_VERSION!-!JAR_STAMP!.jsa"
  if not exist "!ARCHIVE!" (
    if not exist "!LLMFAULT_CDS_DIR!" mkdir "!LLMFAULT_CDS_DIR!" >nul 2>&1
    echo llmfault-server: making a class-data archive for this JVM, once ^(faster starts from now on^) 1>&2
    "%JAVA_CMD%" %DEFAULT_JVM_OPTS% %JAVA_OPTS% "-XX:ArchiveClassesAtExit=!ARCHIVE!" -jar "%JAR%" --train-class-data >nul 2>&1
    if errorlevel 1 del /q "!ARCHIVE!" >nul 2>&1
  )
  if exist "!ARCHIVE!" set "CDS_OPTS=-XX:SharedArchiveFile=!ARCHIVE!"
)

"%JAVA_CMD%" %DEFAULT_JVM_OPTS% %CDS_OPTS% %JAVA_OPTS% -jar "%JAR%" %*
exit /b %ERRORLEVEL%
