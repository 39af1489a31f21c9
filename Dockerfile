# Images for the docker-compose deployment, built from this repository.
#   target vigil:   streams-app and the one-shot topic/schema set-up (ONNX Runtime on CPU)
#   target trainer: the trainer and feedback-rl (adds DJL's PyTorch engine)
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -q -B -DskipTests -Dmaven.test.skip=true package -pl cli -am \
 && mvn -q -B dependency:copy-dependencies -pl cli -DincludeScope=runtime -DoutputDirectory=/dist/lib \
 && cp cli/target/vigil-cli-*.jar /dist/lib/

FROM eclipse-temurin:17-jre AS vigil
RUN useradd --system --home /var/lib/vigil vigil && mkdir -p /var/lib/vigil && chown vigil /var/lib/vigil
COPY --from=build /dist/lib /opt/vigil/lib
USER vigil
WORKDIR /var/lib/vigil
ENV VIGIL_JAVA_OPTS="-Xmx1g -XX:+UseG1GC"
ENTRYPOINT ["sh", "-c", "exec java $VIGIL_JAVA_OPTS -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.vigil.schemas.avro -Djava.awt.headless=true -Dai.djl.offline=true -cp '/opt/vigil/lib/*' dev.vigil.cli.Vigil \"$@\"", "vigil"]

FROM vigil AS trainer
ENV DJL_CACHE_DIR=/var/lib/vigil/djl
