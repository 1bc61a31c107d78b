package dev.llmfault.server.internal.catalogue;

import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;

import java.util.Map;

/**
 * How one provider renders one fault: a row of the catalogue.
 *
 * @param variant   "" for the fault's main rendering, or a named variant ({@code tokens}, {@code retired_model} ...)
 * @param status    HTTP status (200 for stream faults, 0 when there is no answer at all)
 * @param type      the provider's error type ({@code invalid_request_error}); for Zhipu the string code
 * @param code      OpenAI's {@code error.code}, or null
 * @param param     OpenAI's {@code error.param} template, or null
 * @param message   message template with {@code {placeholders}} (see {@link Vars})
 * @param headers   fixed extra headers (templates too)
 * @param throttle  whether the answer carries retry hints and the provider's rate-limit headers
 * @param verified  true when the rendering was checked against real answers or the official SDKs;
 *                  false when it is modelled (our best guess: easy to correct here)
 */
public record Rendering(Fault fault, Provider provider, String variant, int status, String type, String code,
                        String param, String message, Map<String, String> headers, boolean throttle,
                        boolean verified) {
}
