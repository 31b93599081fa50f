package io.uspbridge.cli;

import io.uspbridge.controller.ControllerClient;
import io.uspbridge.security.TlsClientContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLSocketFactory;

/**
 * How the command-line tools reach an agent: the broker, the credentials, the two endpoints and their topics. Each
 * setting comes from its option, else from its environment variable ({@code USP_CTL_BROKER}, …), else from the
 * default, which fits the agent that {@code ./run-demo} starts so that a newcomer types no options at all.
 */
public record ConnectionOptions(String broker, String username, String password, Path caFile, Path certFile,
        Path keyFile, String agentId, String agentTopic, String controllerId, String controllerTopic,
        Duration timeout, int qos) {

    public static final String DEFAULT_BROKER = "tcp://127.0.0.1:1883";
    public static final String DEFAULT_AGENT_ID = "proto::usp-bridge-demo";
    public static final String DEFAULT_CONTROLLER_ID = "proto::usp-ctl";

    /** The options every tool that talks to an agent accepts. */
    static final Set<String> VALUED = Set.of("--broker", "--username", "--password", "--ca-file", "--cert-file",
            "--key-file", "--agent-id", "--agent-topic", "--controller-id", "--controller-topic", "--timeout",
            "--qos");
    static final Map<String, String> ALIASES = Map.of("-b", "--broker", "-u", "--username", "-P", "--password",
            "-a", "--agent-id", "-c", "--controller-id", "-t", "--timeout");

    static final String HELP = """
            Connection (option, else environment variable, else default):
              -b, --broker URL            USP_CTL_BROKER            tcp://127.0.0.1:1883 (ssl://host:8883 for TLS)
              -u, --username NAME         USP_CTL_USERNAME
              -P, --password SECRET       USP_CTL_PASSWORD          (prefer the variable: options show in ps)
                  --ca-file PEM           USP_CTL_CA_FILE           CA certificates of the broker (else the JDK's)
                  --cert-file PEM         USP_CTL_CERT_FILE         client certificate chain, with --key-file
                  --key-file PEM          USP_CTL_KEY_FILE          client private key (PKCS#8)
              -a, --agent-id ID           USP_CTL_AGENT_ID          proto::usp-bridge-demo
                  --agent-topic TOPIC     USP_CTL_AGENT_TOPIC       usp/agent/<agent id>
              -c, --controller-id ID      USP_CTL_CONTROLLER_ID     proto::usp-ctl
                  --controller-topic T    USP_CTL_CONTROLLER_TOPIC  usp/controller/<controller id>
              -t, --timeout SECONDS       USP_CTL_TIMEOUT           10
                  --qos 0|1               USP_CTL_QOS               1
            """;

    public static ConnectionOptions from(CommandLine cl, Map<String, String> env) throws UsageException {
        String broker = pick(cl, env, "--broker").orElse(DEFAULT_BROKER);
        if (!broker.startsWith("tcp://") && !broker.startsWith("ssl://")) {
            throw new UsageException("--broker must be tcp://host:port or ssl://host:port, not '" + broker + "'");
        }
        String agentId = pick(cl, env, "--agent-id").orElse(DEFAULT_AGENT_ID);
        String controllerId = pick(cl, env, "--controller-id").orElse(DEFAULT_CONTROLLER_ID);
        Path cert = pick(cl, env, "--cert-file").map(Path::of).orElse(null);
        Path key = pick(cl, env, "--key-file").map(Path::of).orElse(null);
        if ((cert == null) != (key == null)) {
            throw new UsageException("--cert-file and --key-file go together");
        }
        Path ca = pick(cl, env, "--ca-file").map(Path::of).orElse(null);
        for (Path p : new Path[] {ca, cert, key}) {
            if (p != null && !Files.isReadable(p)) {
                throw new UsageException("cannot read " + p);
            }
        }
        if ((ca != null || cert != null) && !broker.startsWith("ssl://")) {
            throw new UsageException("TLS files need an ssl:// broker URL");
        }
        double timeout = seconds(pick(cl, env, "--timeout"), 10);
        String qos = pick(cl, env, "--qos").orElse("1");
        if (!qos.equals("0") && !qos.equals("1")) {
            throw new UsageException("--qos must be 0 or 1");
        }
        return new ConnectionOptions(broker, pick(cl, env, "--username").orElse(null),
                pick(cl, env, "--password").orElse(null), ca, cert, key, agentId,
                pick(cl, env, "--agent-topic").orElse("usp/agent/" + agentId), controllerId,
                pick(cl, env, "--controller-topic").orElse("usp/controller/" + controllerId),
                Duration.ofMillis(Math.round(timeout * 1000)), Integer.parseInt(qos));
    }

    private static Optional<String> pick(CommandLine cl, Map<String, String> env, String option) {
        Optional<String> v = cl.option(option);
        if (v.isPresent()) {
            return v;
        }
        String var = "USP_CTL_" + option.substring(2).replace('-', '_').toUpperCase(java.util.Locale.ROOT);
        return Optional.ofNullable(env.get(var)).filter(s -> !s.isEmpty());
    }

    private static double seconds(Optional<String> value, double defaultValue) throws UsageException {
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            double s = Double.parseDouble(value.get().trim());
            if (s > 0 && s <= 3600) {
                return s;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--timeout must be a number of seconds between 0 and 3600, not '" + value.get()
                + "'");
    }

    /** The controller client's settings; reads the TLS files. */
    public ControllerClient.Settings settings() throws IOException, GeneralSecurityException {
        ControllerClient.Settings s = plainSettings();
        if (isTls()) {
            SSLSocketFactory f = TlsClientContext.socketFactory(caFile, certFile, keyFile);
            s = s.withSocketFactory(f);
        }
        return s;
    }

    /** The settings without a socket factory: for a client that takes its TLS material as {@link #tlsKeys}. */
    ControllerClient.Settings plainSettings() {
        return ControllerClient.Settings.of(broker, controllerId, agentId, agentTopic)
                .withControllerTopic(controllerTopic).withTimeout(timeout).withQos(qos)
                .withCredentials(username, password);
    }

    /** The TLS trust and client key of an ssl:// broker, from the same files as {@link #settings}; else null. */
    TlsClientContext.Keys tlsKeys() throws IOException, GeneralSecurityException {
        return isTls() ? TlsClientContext.keys(caFile, certFile, keyFile) : null;
    }

    private boolean isTls() {
        return broker.startsWith("ssl://");
    }
}
