package io.agentserver.bench.micro;

import io.agentserver.bench.sut.Tokens;
import io.agentserver.service.auth.AuthSettings;
import io.agentserver.service.auth.JwtVerifier;
import io.agentserver.service.auth.TokenCheck;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Verifying one HS256 token with the service's {@link JwtVerifier}, as every {@code /ws} handshake does. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JwtBenchmark {
    private JwtVerifier verifier;
    private String token;

    @Setup
    public void setUp() {
        verifier = JwtVerifier.create(new AuthSettings(true, "HS256", Optional.of(Samples.SECRET), Optional.empty(),
                Optional.empty(), "authenticated", false));
        token = new Tokens(Samples.SECRET).forUser(Samples.USER);
        if (!(verifier.verify(token) instanceof TokenCheck.Valid)) {
            throw new IllegalStateException("the sample token does not verify: " + verifier.verify(token));
        }
    }

    @Benchmark
    public TokenCheck verifyHs256() {
        return verifier.verify(token);
    }
}
